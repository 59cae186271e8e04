using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Benchmarks.Engine;

/// <summary><c>telemetry-overhead</c>: the <c>engine-chain</c> session with an activity listener sampling every span
/// of Orchestrator's source and a meter listener taking every measurement of its meter (what an exporter costs the
/// engine before it exports), against the same chain with no listener, in the same run and actor system, one after
/// the other.</summary>
internal static class TelemetryOverheadBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var n = options.Quick ? 300 : 1_000;
        var chain = BenchDags.Chain(n);
        await EngineBenchmarks.WarmUpAsync(chain, options);
        using (Listening(out _)) await EngineBenchmarks.WithInMemoryAsync(async system => await new SessionRun(system, chain).RunToCompletionAsync());
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}: a chain of {n} steps without and with listeners; load average {EngineBenchmarks.LoadAverage()}");
            await EngineBenchmarks.WithInMemoryAsync(async system => await MeasureAsync(system, chain, n, "in-memory"));
            if (options.Databases.Contains(Orchestrator.Node.Configuration.PersistenceProvider.Sqlite))
                await EngineBenchmarks.WithSqliteAsync(async (system, _) => await MeasureAsync(system, chain, n, "sqlite"));
        }
    }

    private static async Task MeasureAsync(Akka.Actor.ActorSystem system, Orchestrator.Core.Workflows.WorkflowTemplate chain, int n, string journal)
    {
        var bare = await new SessionRun(system, chain).RunToCompletionAsync();
        Timed traced;
        long spans;
        using (Listening(out var counted))
        {
            traced = await new SessionRun(system, chain).RunToCompletionAsync();
            spans = counted();
        }
        EngineBenchmarks.Lines($"chain {n} {journal} traced", traced, n, "µs/step", ("no listener", bare));
        Report.Note($"chain {n} {journal}: {spans / (double)n:0.00} spans per step recorded");
    }

    /// <summary>Listens to every span and measurement of Orchestrator's source and meter until disposed;
    /// <paramref name="spans"/> counts the spans stopped.</summary>
    private static IDisposable Listening(out Func<long> spans)
    {
        var stopped = 0L;
        var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OrchestratorTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref stopped),
        };
        ActivitySource.AddActivityListener(activities);
        var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OrchestratorTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, _, _) => { });
        meters.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        meters.Start();
        spans = () => Interlocked.Read(ref stopped);
        return new Both(activities, meters);
    }

    private sealed class Both(ActivityListener activities, MeterListener meters) : IDisposable
    {
        public void Dispose()
        {
            meters.Dispose();
            activities.Dispose();
        }
    }
}
