using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Every span of Orchestrator's activity source stopped while it lives (sampled, all data). Listeners are
/// process-wide: specs filter what they read by id or by trace.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OrchestratorTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans stopped so far, in the order they stopped.</summary>
    public ConcurrentQueue<Activity> Spans { get; } = new();

    public void Dispose() => _listener.Dispose();
}
