namespace Orchestrator.Cli;

/// <summary>Ctrl-C as <c>orch</c> takes it: a press cancels the command running at that moment and nothing else, so
/// that the interactive prompt survives it and takes the next command as usual.</summary>
public sealed class Interrupts
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;

    /// <summary>Starts a command: its token is cancelled by the next <see cref="Interrupt"/> or with
    /// <paramref name="outer"/>; dispose the scope when the command has ended.</summary>
    public Scope Begin(CancellationToken outer)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        lock (_gate)
            _running = source;
        return new Scope(this, source);
    }

    /// <summary>A Ctrl-C: cancels the command running now. False when none runs or it was cancelled already, so that
    /// the caller decides what the press means then.</summary>
    public bool Interrupt()
    {
        CancellationTokenSource? running;
        lock (_gate)
            running = _running;
        if (running is null || running.IsCancellationRequested)
            return false;
        try
        {
            running.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        return true;
    }

    private void End(CancellationTokenSource source)
    {
        lock (_gate)
            if (ReferenceEquals(_running, source))
                _running = null;
        source.Dispose();
    }

    /// <summary>One command's time: the token it runs with.</summary>
    public readonly struct Scope(Interrupts owner, CancellationTokenSource source) : IDisposable
    {
        /// <summary>Cancelled by Ctrl-C while the command runs.</summary>
        public CancellationToken Token => source.Token;

        /// <inheritdoc />
        public void Dispose() => owner.End(source);
    }
}
