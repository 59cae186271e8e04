using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Benchmarks;

/// <summary>(b) One actor persisting events one after another (persist, wait for the ack, next): p50/p99 µs per persist
/// on SQLite with synchronous=FULL (default) and NORMAL, and on PostgreSQL. Baselines in the same run: the same actor on
/// the in-memory journal, and a plain single-row INSERT (its own transaction) through the same driver.</summary>
internal static class PersistLatencyBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(BenchOptions options)
    {
        var count = options.Quick ? 2_000 : 10_000;
        var variants = new List<(string Name, PersistenceProvider Provider, Func<PersistenceSettings, PersistenceSettings> Tune)>();
        if (options.Databases.Contains(PersistenceProvider.Sqlite))
        {
            variants.Add(("sqlite FULL", PersistenceProvider.Sqlite, s => s with { SqliteSynchronous = SqliteSynchronous.Full }));
            variants.Add(("sqlite NORMAL", PersistenceProvider.Sqlite, s => s with { SqliteSynchronous = SqliteSynchronous.Normal }));
        }

        if (options.Databases.Contains(PersistenceProvider.PostgreSql))
            variants.Add(("postgresql", PersistenceProvider.PostgreSql, s => s));

        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}: {count} sequential persists");
            var inMemory = await InMemoryAsync(count);
            foreach (var (name, provider, tune) in variants)
            {
                await using var db = await BenchDatabase.CreateAsync(provider, tune);
                var journal = await SqlAsync(db, count);
                var plain = await PlainAsync(db, count);
                Report.Line($"persist p50 {name}", journal.P50, "µs", ("in-memory", inMemory.P50), ("plain INSERT", plain.P50));
                Report.Line($"persist p99 {name}", journal.P99, "µs", ("in-memory", inMemory.P99), ("plain INSERT", plain.P99));
                Report.Note($"{db.Describe()}; {journal.Transactions} journal transactions for {count} persists");
            }
        }
    }

    private static async Task<(double P50, double P99)> InMemoryAsync(int count)
    {
        var system = Systems.InMemoryJournal();
        try
        {
            return Percentiles(await PersistSequentiallyAsync(system, count));
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    private static async Task<(double P50, double P99, long Transactions)> SqlAsync(BenchDatabase db, int count)
    {
        var system = Systems.Sql(db);
        try
        {
            await PersistSequentiallyAsync(system, 200, "warm");
            var before = await TransactionCounter.CountAsync(db);
            var (p50, p99) = Percentiles(await PersistSequentiallyAsync(system, count));
            var after = await TransactionCounter.CountAsync(db);
            return (p50, p99, TransactionCounter.Between(db, before, after));
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    private static async Task<(double P50, double P99)> PlainAsync(BenchDatabase db, int count)
    {
        var plain = new PlainJournal(db);
        await plain.CreateTablesAsync();
        await using var connection = await plain.OpenAsync();
        var write = await plain.SingleRowWriterAsync(connection);
        for (var i = 1; i <= 200; i++)
            await write(new PlainJournal.Row("warm", i, false));
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await write(new PlainJournal.Row("latency", i + 1, false));
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return Percentiles(micros);
    }

    /// <summary>Microseconds of each persist, from the command's send to its ack.</summary>
    private static async Task<double[]> PersistSequentiallyAsync(ActorSystem system, int count, string persistenceId = "latency")
    {
        var probe = system.ActorOf(JournalProbe.Props(persistenceId));
        await probe.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), Timeout);
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await probe.Ask<ProbeCommands.Written>(new ProbeCommands.Write(i, 1, false), Timeout);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        system.Stop(probe);
        return micros;
    }

    private static (double P50, double P99) Percentiles(double[] micros)
    {
        var sorted = micros.OrderBy(m => m).ToArray();
        return (Report.Percentile(sorted, 0.50), Report.Percentile(sorted, 0.99));
    }
}
