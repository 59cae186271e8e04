using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>Everything Orchestrator's activity source and meter record while it lives (and ASP.NET Core's request
/// spans): every span once stopped, every measurement with its tags. Listeners are process-wide: filter by id.</summary>
internal sealed class RecordedTelemetry : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();

    public RecordedTelemetry()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = s => s.Name is OrchestratorTelemetry.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrchestratorTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Measurements.Enqueue(new Measurement(i.Name, v, Tags(tags))));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Measurements.Enqueue(new Measurement(i.Name, v, Tags(tags))));
        _meters.Start();
    }

    /// <summary>Spans stopped so far.</summary>
    public ConcurrentQueue<Activity> Spans { get; } = new();

    /// <summary>Measurements so far.</summary>
    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    /// <summary>The measurements of <paramref name="instrument"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags) all[key] = value;
        return all;
    }

    /// <summary>One measurement: its instrument, value and tags.</summary>
    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
