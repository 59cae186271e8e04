using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Benchmarks;

/// <summary>(c) Recovery of an actor with 100,000 events, without and with a snapshot (taken after the last event), in
/// a fresh actor system whose journal is already started: seconds from <c>ActorOf</c> to the answer of its first
/// command. Baselines in the same run: the same recovery on the in-memory journal, and a plain SELECT of the actor's
/// rows from the journal table through the same driver.</summary>
internal static class RecoveryBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(BenchOptions options)
    {
        var events = options.Quick ? 10_000 : 100_000;
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}: {events} events");
            var inMemory = await InMemoryAsync(events);
            foreach (var provider in options.Databases)
            {
                await using var db = await BenchDatabase.CreateAsync(provider);
                var writer = Systems.Sql(db, "writer");
                var write = Stopwatch.StartNew();
                await WriteAsync(writer, "recover", events);
                write.Stop();
                await WriteAsync(writer, "recover-snapshot", events);
                await SnapshotAsync(writer, "recover-snapshot");
                await Systems.TerminateAsync(writer);
                Report.Note($"{db.Describe()}; wrote {events} events in chunks of 1000 at {events / write.Elapsed.TotalSeconds:0} events/s");

                var reader = Systems.Sql(db, "reader");
                try
                {
                    await RecoverAsync(reader, "warm-up", 0, false);
                    var full = await RecoverAsync(reader, "recover", events, false);
                    var snapshot = await RecoverAsync(reader, "recover-snapshot", events, true);
                    var select = Stopwatch.StartNew();
                    var rows = await new PlainJournal(db).SelectJournalAsync("recover");
                    select.Stop();
                    if (rows != events)
                        throw new InvalidOperationException($"plain SELECT read {rows} rows, expected {events}");
                    var name = JournalThroughputBenchmark.Name(provider);
                    Report.Line($"recovery {name} {events} events", full, "s",
                        ("in-memory", inMemory.Full), ("plain SELECT", select.Elapsed.TotalSeconds));
                    Report.Line($"recovery {name} {events} events + snapshot", snapshot, "s", ("in-memory", inMemory.Snapshot));
                }
                finally
                {
                    await Systems.TerminateAsync(reader);
                }
            }
        }
    }

    private static async Task<(double Full, double Snapshot)> InMemoryAsync(int events)
    {
        var system = Systems.InMemoryJournal();
        try
        {
            await WriteAsync(system, "recover", events);
            await WriteAsync(system, "recover-snapshot", events);
            await SnapshotAsync(system, "recover-snapshot");
            await RecoverAsync(system, "warm-up", 0, false);
            return (await RecoverAsync(system, "recover", events, false), await RecoverAsync(system, "recover-snapshot", events, true));
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    /// <summary>Writes <paramref name="events"/> events in atomic writes of 1000, then stops the writer.</summary>
    private static async Task WriteAsync(ActorSystem system, string persistenceId, int events)
    {
        var probe = system.ActorOf(JournalProbe.Props(persistenceId), persistenceId);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = system.ActorOf(AckCollector.Props(events, done));
        for (var from = 0; from < events; from += 1000)
            probe.Tell(new ProbeCommands.Write(from, Math.Min(1000, events - from), false), collector);
        await done.Task.WaitAsync(Timeout);
        await probe.GracefulStop(Timeout);
        system.Stop(collector);
    }

    private static async Task SnapshotAsync(ActorSystem system, string persistenceId)
    {
        var probe = system.ActorOf(JournalProbe.Props(persistenceId), persistenceId + "-snapshotting");
        var taken = await probe.Ask<ProbeCommands.SnapshotTaken>(new ProbeCommands.TakeSnapshot(), Timeout);
        if (taken.Error is not null)
            throw new InvalidOperationException($"snapshot of {persistenceId} failed: {taken.Error}");
        await probe.GracefulStop(Timeout);
    }

    /// <summary>Seconds from <c>ActorOf</c> to the recovered state; checks the state.</summary>
    private static async Task<double> RecoverAsync(ActorSystem system, string persistenceId, int events, bool fromSnapshot)
    {
        var watch = Stopwatch.StartNew();
        var probe = system.ActorOf(JournalProbe.Props(persistenceId));
        var state = await probe.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), Timeout);
        watch.Stop();
        await probe.GracefulStop(Timeout);
        if (state.Count != events || state.FromSnapshot != fromSnapshot)
            throw new InvalidOperationException(
                $"{persistenceId} recovered {state.Count} events (snapshot: {state.FromSnapshot}), expected {events} (snapshot: {fromSnapshot})");
        return watch.Elapsed.TotalSeconds;
    }
}
