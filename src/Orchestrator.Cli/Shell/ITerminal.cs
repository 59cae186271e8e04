namespace Orchestrator.Cli.Shell;

/// <summary>The terminal a <see cref="LineEditor"/> reads keys from and draws on (the console, or keys a test feeds).</summary>
public interface ITerminal
{
    /// <summary>Enters line editing until disposed: Ctrl-C arrives as a key instead of interrupting.</summary>
    IDisposable EditLine();

    /// <summary>The next key pressed, not echoed.</summary>
    ConsoleKeyInfo ReadKey();

    /// <summary>Writes <paramref name="text"/> (with ANSI cursor movements) at the cursor.</summary>
    void Write(string text);
}
