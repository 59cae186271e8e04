using System.Threading.Channels;
using LinqToDB.Interceptors;

namespace Orchestrator.Node.Persistence;

/// <summary>Tells the readiness monitor that a statement of the journal failed, so that it probes the database at once
/// instead of at its next tick. A linq2db exception interceptor on the journal's connections: it only signals (a
/// failed statement may be the caller's, such as a conflict), and the probe decides whether the database is failing.</summary>
public sealed class JournalFaults : IExceptionInterceptor
{
    // One pending signal is enough: faults that arrive before the monitor wakes are answered by one probe.
    private readonly Channel<string> _signals = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <inheritdoc />
    public void ProcessException(ExceptionEventData eventData, Exception exception) => _signals.Writer.TryWrite(exception.Message);

    /// <summary>Completes with the message of the first fault since the last wait (at once when one is pending).</summary>
    public ValueTask<string> WaitAsync(CancellationToken cancellationToken) => _signals.Reader.ReadAsync(cancellationToken);
}
