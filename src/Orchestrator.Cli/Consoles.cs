using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>Spectre consoles over a writer: colours on a terminal, plain text without colour codes when redirected, and
/// tables that fit the width (<see cref="TerminalWidth"/>) with long cells cut, so that each row stays one line.</summary>
public static class Consoles
{
    private const int Unwrapped = 10_000;

    /// <summary>A console writing to <paramref name="writer"/>, <see cref="TerminalWidth"/> wide.</summary>
    public static IAnsiConsole For(TextWriter writer, bool redirected) =>
        For(writer, redirected, TerminalWidth.Of(!redirected, () => Console.WindowWidth, Environment.GetEnvironmentVariable("COLUMNS")));

    /// <summary>A console writing to <paramref name="writer"/>, <paramref name="width"/> columns wide.</summary>
    public static IAnsiConsole For(TextWriter writer, bool redirected, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        // Redirected, a line of text is never wrapped (scripts grep whole lines); tables still fit the width.
        console.Profile.Width = redirected ? Unwrapped : width;
        console.Pipeline.Attach(new FittedTables(width));
        return console;
    }
}
