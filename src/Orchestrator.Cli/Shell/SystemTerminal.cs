namespace Orchestrator.Cli.Shell;

/// <summary>The process's console as a <see cref="ITerminal"/>.</summary>
public sealed class SystemTerminal : ITerminal
{
    /// <inheritdoc />
    public IDisposable EditLine()
    {
        var before = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        return new Restore(() => Console.TreatControlCAsInput = before);
    }

    /// <inheritdoc />
    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    /// <inheritdoc />
    public void Write(string text) => Console.Write(text);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
