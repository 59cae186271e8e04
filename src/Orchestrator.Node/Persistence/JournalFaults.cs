using System.Threading.Channels;
using LinqToDB.Interceptors;

namespace Orchestrator.Node.Persistence;

/// <summary>Tells the readiness monitor that a statement of the journal failed, so that it probes the database at once
/// instead of at its next tick. A linq2db exception interceptor on the journal's connections: it only signals (a
/// failed statement may be the caller's, such as a conflict), and the probe decides whether the database is failing;
/// except that a statement that found the database damaged (<see cref="DatabaseDamage"/>) is kept as
/// <see cref="Damage"/>, which no probe can clear.</summary>
public sealed class JournalFaults : IExceptionInterceptor
{
    // One pending signal is enough: faults that arrive before the monitor wakes are answered by one probe.
    private readonly Channel<string> _signals = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private string? _damage;

    /// <summary>The damage the first statement that found the database damaged reported, in the database's words; null
    /// while none has.</summary>
    public string? Damage => Volatile.Read(ref _damage);

    /// <inheritdoc />
    public void ProcessException(ExceptionEventData eventData, Exception exception) => Signal(exception);

    /// <summary>Signals that a statement of the journal failed with <paramref name="exception"/>.</summary>
    public void Signal(Exception exception)
    {
        if (DatabaseDamage.Of(exception) is { } damage) Interlocked.CompareExchange(ref _damage, damage, null);
        _signals.Writer.TryWrite(exception.Message);
    }

    /// <summary>Completes with the message of the first fault since the last wait (at once when one is pending).</summary>
    public ValueTask<string> WaitAsync(CancellationToken cancellationToken) => _signals.Reader.ReadAsync(cancellationToken);
}
