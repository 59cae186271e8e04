using Orchestrator.Node.Configuration;

namespace Orchestrator.Benchmarks;

/// <summary>Options shared by all benchmarks.</summary>
internal sealed record BenchOptions(bool Quick, int Runs, IReadOnlySet<PersistenceProvider> Databases, IReadOnlyList<string> Args);

/// <summary>Dispatches to the benchmarks: <c>--quick</c> for a short run, <c>--only NAME</c> for one benchmark,
/// <c>--runs N</c> (default 3), <c>--db sqlite|postgresql|both|memory</c> (<c>memory</c>: the engine benchmarks on the
/// in-memory journal only).</summary>
internal static class BenchmarkProgram
{
    private static readonly (string Name, Func<BenchOptions, Task> Run)[] Benchmarks =
    [
        ("throughput", JournalThroughputBenchmark.RunAsync),
        ("latency", PersistLatencyBenchmark.RunAsync),
        ("recovery", RecoveryBenchmark.RunAsync),
        ("startup", NodeStartupBenchmark.RunAsync),
        ("agent-selection", AgentSelectionBenchmark.RunAsync),
        ("dispatch-decision", DispatchDecisionBenchmark.RunAsync),
        ("lesson-retrieval", LessonRetrievalBenchmark.RunAsync),
        ("http", HttpApiBenchmark.RunAsync),
        ("engine-chain", Engine.EngineBenchmarks.ChainAsync),
        ("engine-fanout", Engine.EngineBenchmarks.FanOutAsync),
        ("engine-memory", Engine.EngineBenchmarks.MemoryAsync),
        ("telemetry-overhead", Engine.TelemetryOverheadBenchmark.RunAsync),
        ("model-routing", ModelRoutingBenchmark.RunAsync),
        ("feed-followers", FeedFollowersBenchmark.RunAsync),
    ];

    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Contains("--idle-baseline"))
            return await NodeStartupBenchmark.IdleBaselineAsync();
        if (Value(args, "--idle-web-baseline") is { } port)
            return await NodeStartupBenchmark.IdleWebBaselineAsync(int.Parse(port));

        var quick = args.Contains("--quick");
        var only = Value(args, "--only");
        var runs = int.Parse(Value(args, "--runs") ?? (quick ? "1" : "3"));
        var dbs = (Value(args, "--db") ?? "both") switch
        {
            "sqlite" => new HashSet<PersistenceProvider> { PersistenceProvider.Sqlite },
            "postgresql" or "postgres" => [PersistenceProvider.PostgreSql],
            "memory" => [],
            _ => [PersistenceProvider.Sqlite, PersistenceProvider.PostgreSql],
        };
        Experiment.Parse(args);
        var options = new BenchOptions(quick, runs, dbs, args);
        var selected = Benchmarks.Where(b => only is null || only.Split(',').Any(o => b.Name == o || b.Name.StartsWith(o + "-", StringComparison.Ordinal))).ToList();
        if (selected.Count == 0)
        {
            Console.Error.WriteLine($"unknown benchmark '{only}'; known: {string.Join(", ", Benchmarks.Select(b => b.Name))}");
            return 2;
        }

        // A benchmark stopped by SIGTERM or Ctrl-C still stops its PostgreSQL server.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => BenchDatabase.StopServersAsync().GetAwaiter().GetResult();
        Console.CancelKeyPress += (_, _) => BenchDatabase.StopServersAsync().GetAwaiter().GetResult();
        Console.WriteLine($"# Orchestrator benchmarks {DateTime.UtcNow:u}, {Environment.ProcessorCount} cores, runs={runs}{(quick ? ", quick" : "")}; {Experiment.Describe}");
        try
        {
            foreach (var (name, run) in selected)
            {
                Console.WriteLine($"== {name} ==");
                await run(options);
            }
        }
        finally
        {
            await BenchDatabase.StopServersAsync();
        }

        Report.Summary();
        return 0;
    }

    private static string? Value(string[] args, string key)
    {
        var i = Array.IndexOf(args, key);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
