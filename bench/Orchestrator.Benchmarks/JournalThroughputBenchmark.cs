using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Benchmarks;

/// <summary>(a) 100 persistent actors × 100 events concurrently: each actor is sent 100 one-event writes at once (it
/// persists them one after another, as a coordinator does), all actors at the same time. Untagged, tagged as the engine
/// will tag (1 event in 20: session lifecycle on the node-wide feed) and all tagged (worst case). Baselines in the same
/// run: the same actors on Akka's in-memory journal, and the same rows as plain INSERTs in transactions of 100 rows.</summary>
internal static class JournalThroughputBenchmark
{
    private const int Actors = 100;
    private const int EventsPerActor = 100;

    private static readonly (string Name, Func<int, int, bool> Tagged)[] Mixes =
    [
        ("untagged", (_, _) => false),
        ("tagged-1in20", (a, e) => (a * EventsPerActor + e) % 20 == 0),
        ("tagged-all", (_, _) => true),
    ];

    public static async Task RunAsync(BenchOptions options)
    {
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}");
            foreach (var (mix, tagged) in Mixes)
            {
                var inMemory = await InMemoryAsync(tagged);
                foreach (var provider in options.Databases)
                {
                    await using var db = await BenchDatabase.CreateAsync(provider);
                    var journal = await SqlAsync(db, tagged);
                    var plain = await PlainAsync(db, tagged);
                    Report.Line($"throughput {Name(provider)} {mix}", journal.EventsPerSecond, "events/s",
                        ("in-memory", inMemory), ("plain INSERTs", plain));
                    Report.Note($"{db.Describe()}; {journal.Transactions} journal transactions for {Actors * EventsPerActor} events " +
                                $"(mean {(double)Actors * EventsPerActor / Math.Max(1, journal.Transactions):0.0} events/transaction)");
                }
            }
        }
    }

    public static string Name(PersistenceProvider provider) => provider == PersistenceProvider.Sqlite ? "sqlite" : "postgresql";

    private static async Task<double> InMemoryAsync(Func<int, int, bool> tagged)
    {
        var system = Systems.InMemoryJournal();
        try
        {
            await DriveAsync(system, "warm", Actors, 5, tagged);
            return await DriveAsync(system, "bench", Actors, EventsPerActor, tagged);
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    private static async Task<(double EventsPerSecond, long Transactions)> SqlAsync(BenchDatabase db, Func<int, int, bool> tagged)
    {
        var system = Systems.Sql(db);
        try
        {
            await DriveAsync(system, "warm", Actors, 5, tagged);
            var before = await TransactionCounter.CountAsync(db);
            var rate = await DriveAsync(system, "bench", Actors, EventsPerActor, tagged);
            var after = await TransactionCounter.CountAsync(db);
            return (rate, TransactionCounter.Between(db, before, after));
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    private static async Task<double> PlainAsync(BenchDatabase db, Func<int, int, bool> tagged)
    {
        var plain = new PlainJournal(db);
        await plain.CreateTablesAsync();
        await plain.InsertAsync(Rows("warm", 10, 10, tagged), 100);
        var rows = Rows("bench", Actors, EventsPerActor, tagged);
        var watch = Stopwatch.StartNew();
        await plain.InsertAsync(rows, 100);
        return rows.Count / watch.Elapsed.TotalSeconds;
    }

    private static List<PlainJournal.Row> Rows(string prefix, int actors, int events, Func<int, int, bool> tagged) =>
        (from e in Enumerable.Range(0, events)
         from a in Enumerable.Range(0, actors)
         select new PlainJournal.Row($"{prefix}-{a}", e + 1, tagged(a, e))).ToList();

    /// <summary>Starts <paramref name="actors"/> probes, waits for their recovery, then sends every actor
    /// <paramref name="events"/> one-event writes at once; events per second from the first send to the last ack.</summary>
    public static async Task<double> DriveAsync(ActorSystem system, string prefix, int actors, int events, Func<int, int, bool> tagged)
    {
        var probes = Enumerable.Range(0, actors).Select(a => system.ActorOf(JournalProbe.Props($"{prefix}-{a}"), $"{prefix}-{a}")).ToArray();
        await Task.WhenAll(probes.Select(p => p.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), TimeSpan.FromSeconds(60))));
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = system.ActorOf(AckCollector.Props(actors * events, done));
        var watch = Stopwatch.StartNew();
        for (var e = 0; e < events; e++)
            for (var a = 0; a < actors; a++)
                probes[a].Tell(new ProbeCommands.Write(e, 1, tagged(a, e)), collector);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        watch.Stop();
        foreach (var p in probes)
            system.Stop(p);
        system.Stop(collector);
        return actors * events / watch.Elapsed.TotalSeconds;
    }
}
