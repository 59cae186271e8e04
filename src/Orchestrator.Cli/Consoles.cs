using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>Spectre consoles over a writer: colours and terminal width on a terminal; plain text, no colour codes and
/// no wrapping when redirected, so that scripts read clean lines.</summary>
public static class Consoles
{
    /// <summary>A console writing to <paramref name="writer"/>.</summary>
    public static IAnsiConsole For(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
            console.Profile.Width = 240;
        return console;
    }
}
