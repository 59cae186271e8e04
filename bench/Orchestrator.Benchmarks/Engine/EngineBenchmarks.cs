using Akka.Actor;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>Benchmarks of the engine itself (issue 12): sessions of the real <c>SessionCoordinator</c> with an instant
/// model, on Akka's in-memory journal and on SQLite as a node persists, each beside the same DAG run with plain tasks
/// and no persistence in the same run. <c>engine-chain</c>: µs per step of a chain, and journal bytes per step at two
/// lengths; <c>engine-fanout</c>: µs per task of a fan-out/fan-in at three widths; <c>engine-memory</c>: bytes per
/// pending task, beside a plain dictionary of the same task records.</summary>
internal static class EngineBenchmarks
{
    private const string LangGraph =
        "reference (issue 12): LangGraph.js 1.7.3 + SQLite checkpointer on this machine kind: chain 3.6-6.0 ms/step, fan-out 2.3-5.9 ms/task";

    /// <summary>The baseline of the decision engine's cost: the same session with every dispatch granted at once by
    /// <see cref="GrantAllDecisions"/>, the path before the decision-engine actor (issue 21 item 6).</summary>
    private const string NoEngine = "no decision engine";

    public static async Task ChainAsync(BenchOptions options)
    {
        int[] lengths = LlamaPoolBenchmark.Option([.. options.Args], "--lengths") is { } given
            ? given.Split(',').Select(int.Parse).ToArray()
            : options.Quick ? [100, 300] : [100, 1_000];
        Report.Note(LangGraph);
        await WarmUpAsync(BenchDags.Chain(lengths[^1]), options);
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}: chains of {string.Join(", ", lengths)} steps; load average {LoadAverage()}");
            var plain = new Dictionary<int, Timed>();
            var memory = new Dictionary<int, Timed>();
            var memoryAllocated = new Dictionary<int, double>();
            foreach (var n in lengths)
                plain[n] = await BenchDags.PlainTasksAsync(BenchDags.Chain(n));

            await WithInMemoryAsync(async system =>
            {
                foreach (var n in lengths)
                {
                    var withoutEngine = await SideBySideAsync(run, () => new SessionRun(system, BenchDags.Chain(n), withoutEngine: true).RunToCompletionAsync(),
                        async () =>
                        {
                            var work = Work.Start();
                            memory[n] = await new SessionRun(system, BenchDags.Chain(n)).RunToCompletionAsync();
                            memoryAllocated[n] = work.Stop().AllocatedPer(n);
                        });
                    Lines($"chain {n} in-memory", memory[n], n, "µs/step", (NoEngine, withoutEngine), ("plain Tasks", plain[n]));
                }
            });

            foreach (var (label, synchronous) in options.Databases.Contains(PersistenceProvider.Sqlite)
                         ? new[] { ("sqlite", SqliteSynchronous.Full), ("sqlite NORMAL", SqliteSynchronous.Normal) }
                         : [])
                await WithSqliteAsync(async (system, db) =>
                {
                    await FillWriteAheadLogAsync(system, db);
                    double? perStepFirst = null;
                    foreach (var n in lengths)
                    {
                        var session = new SessionRun(system, BenchDags.Chain(n));
                        long commits = 0, statements = 0;
                        Timed timed = default;
                        Work done = default;
                        var withoutEngine = await SideBySideAsync(run, () => new SessionRun(system, BenchDags.Chain(n), withoutEngine: true).RunToCompletionAsync(),
                            async () =>
                            {
                                var before = await TransactionCounter.CountAsync(db);
                                statements = TransactionCounter.SqliteStatements;
                                var work = Work.Start();
                                timed = await session.RunToCompletionAsync();
                                done = work.Stop();
                                statements = TransactionCounter.SqliteStatements - statements;
                                commits = TransactionCounter.Between(db, before, await TransactionCounter.CountAsync(db));
                            });
                        var insert = await PlainInsertAsync(db, n);
                        Lines($"chain {n} {label}", timed, n, "µs/step", (NoEngine, withoutEngine), ("plain INSERT", insert), ("plain Tasks", plain[n]), ("in-memory", memory[n]));
                        Report.Line($"chain {n} {label} allocated", done.AllocatedPer(n), "bytes/step", ("in-memory", memoryAllocated[n]));
                        Report.Note($"chain {n} {label}: {statements / (double)n:0.00} SQL statements per step on the journal's connections; " +
                                    $"{done.JitCompiledPer(n):0.00} methods JIT-compiled per step (new code generated while it ran)");
                        if (synchronous != SqliteSynchronous.Full)
                            continue;
                        var plan = await SessionJournal.EventsAsync(db, session.Id, 0, 2);
                        var steps = await SessionJournal.EventsAsync(db, session.Id, 2);
                        var snapshot = await SessionJournal.SnapshotsAsync(db, session.Id);
                        var bytesPerStep = steps.Bytes / (double)n;
                        perStepFirst ??= bytesPerStep;
                        Report.Line($"chain {n} sqlite journal", bytesPerStep, "bytes/step", ($"chain {lengths[0]}", perStepFirst.Value));
                        Report.Note($"chain {n}: {steps.Rows / (double)n:0.00} events and {commits / (double)n:0.00} commits per step; plan (created + accepted) " +
                                    $"{plan.Bytes / (double)n:0} bytes/task; last snapshot {snapshot.Bytes / (double)n:0} bytes/task ({snapshot.Rows} kept)");
                    }
                }, synchronous);
        }
    }

    public static async Task FanOutAsync(BenchOptions options)
    {
        int[] widths = options.Quick ? [100, 1_000] : [1_000, 4_000, 10_000];
        Report.Note(LangGraph);
        await WarmUpAsync(BenchDags.FanOut(widths[^1]), options);
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}: fan-out/fan-in of {string.Join(", ", widths)} tasks; load average {LoadAverage()}");
            var plain = new Dictionary<int, Timed>();
            var memory = new Dictionary<int, Timed>();
            foreach (var n in widths)
                plain[n] = await BenchDags.PlainTasksAsync(BenchDags.FanOut(n));

            await WithInMemoryAsync(async system =>
            {
                foreach (var n in widths)
                {
                    var withoutEngine = await SideBySideAsync(run, () => new SessionRun(system, BenchDags.FanOut(n), withoutEngine: true).RunToCompletionAsync(),
                        async () => memory[n] = await new SessionRun(system, BenchDags.FanOut(n)).RunToCompletionAsync());
                    Lines($"fan-out {n} in-memory", memory[n], n + 2, "µs/task", (NoEngine, withoutEngine),
                        ("plain Tasks", plain[n]), ($"in-memory {widths[0]}", memory[widths[0]].Per(widths[0] + 2, n + 2)));
                }
            });

            if (options.Databases.Contains(PersistenceProvider.Sqlite))
                await WithSqliteAsync(async (system, db) =>
            {
                Timed? first = null;
                foreach (var n in widths)
                {
                    var session = new SessionRun(system, BenchDags.FanOut(n));
                    long commits = 0;
                    Timed timed = default;
                    var withoutEngine = await SideBySideAsync(run, () => new SessionRun(system, BenchDags.FanOut(n), withoutEngine: true).RunToCompletionAsync(),
                        async () =>
                        {
                            var before = await TransactionCounter.CountAsync(db);
                            timed = await session.RunToCompletionAsync();
                            commits = TransactionCounter.Between(db, before, await TransactionCounter.CountAsync(db));
                        });
                    first ??= timed;
                    Lines($"fan-out {n} sqlite", timed, n + 2, "µs/task", (NoEngine, withoutEngine),
                        ("plain Tasks", plain[n]), ("in-memory", memory[n]), ($"sqlite {widths[0]}", first.Value.Per(widths[0] + 2, n + 2)));
                    var events = await SessionJournal.EventsAsync(db, session.Id, 2);
                    var snapshot = await SessionJournal.SnapshotsAsync(db, session.Id);
                    Report.Note($"fan-out {n}: {events.Rows / (double)(n + 2):0.00} events and {events.Bytes / (double)(n + 2):0} journal bytes " +
                                $"per task after the plan, {commits} commits; last snapshot {snapshot.Bytes / (double)(n + 2):0} bytes/task");
                }
            });
        }
    }

    /// <summary>Runs <paramref name="baseline"/> and <paramref name="measured"/> one after the other, the baseline first
    /// in odd runs and second in even ones (so that neither always pays for the garbage or the JIT work the other left);
    /// returns the baseline's time.</summary>
    private static async Task<Timed> SideBySideAsync(int run, Func<Task<Timed>> baseline, Func<Task> measured)
    {
        if (run % 2 == 0) await measured();
        var timed = await baseline();
        if (run % 2 == 1) await measured();
        return timed;
    }

    /// <summary>A figure per item, wall time and CPU time, each beside its baselines (times for the same count).</summary>
    internal static void Lines(string name, Timed timed, int count, string unit, params (string Name, Timed Value)[] baselines)
    {
        Report.Line(name, timed.MicrosPer(count), unit, baselines.Select(b => (b.Name, b.Value.MicrosPer(count))).ToArray());
        Report.Line(name + " cpu", timed.CpuMicrosPer(count), unit, baselines.Select(b => (b.Name, b.Value.CpuMicrosPer(count))).ToArray());
    }

    /// <summary>Runs unmeasured sessions on a new database until its write-ahead log has grown to its full size (SQLite
    /// checkpoints it at 1,000 pages and then writes it again from the start), so that the chains and their baseline are
    /// both measured as a node runs once its log has grown: until then each commit makes the file longer, and its sync
    /// also writes the file system's journal, which made a commit about twice as slow here (212 against 110 µs).</summary>
    private static async Task FillWriteAheadLogAsync(ActorSystem system, BenchDatabase db)
    {
        var log = new FileInfo(db.Settings.SqlitePath + "-wal");
        long before;
        var sessions = 0;
        do
        {
            before = log.Exists ? log.Length : 0;
            await new SessionRun(system, BenchDags.Chain(200)).RunToCompletionAsync();
            log.Refresh();
        } while (log.Length > before && ++sessions < 10); // a log that kept growing (a reader holding it) stops it too
        Report.Note($"write-ahead log grown to {log.Length / 1024} KiB before the chains were measured");
    }

    /// <summary>The baseline of a step on SQLite: <paramref name="count"/> plain single-row INSERTs, each its own transaction
    /// with its commit's fsync, one after another through the same driver, connection string and PRAGMAs into a table
    /// shaped like the journal's, in the same database file as the session just measured (issue 18 item 9's yardstick).</summary>
    private static async Task<Timed> PlainInsertAsync(BenchDatabase db, int count)
    {
        var plain = new PlainJournal(db);
        await plain.CreateTablesAsync();
        await using var connection = await plain.OpenAsync();
        var write = await plain.SingleRowWriterAsync(connection);
        var id = $"plain-{Guid.NewGuid():N}";
        for (var i = 1; i <= 20; i++)
            await write(new PlainJournal.Row(id + "-warm", i, false));
        var watch = Timed.Start();
        for (var i = 1; i <= count; i++)
            await write(new PlainJournal.Row(id, i, false));
        return watch.Stop();
    }

    /// <summary>Runs <paramref name="template"/>'s shape on each journal (with and without the decision engine) and with
    /// plain tasks, <see cref="WarmUpRounds"/> times, before anything is measured, so that the figures are of the optimised
    /// code a node that has run a while has: the JIT counts a method's calls only once no new code has been compiled for a
    /// moment, and one round left hundreds of methods to be recompiled in the measured runs.</summary>
    internal static async Task WarmUpAsync(WorkflowTemplate template, BenchOptions options)
    {
        var tiered = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is "0"
            ? "JIT: DOTNET_TieredCompilation=0 (every method optimised on its first call, as a long-running node's code ends up)"
            : "JIT: tiered (the default: code runs unoptimised at first and is recompiled once it has run a while)";
        Report.Note(tiered);
        var watch = Timed.Start();
        for (var round = 0; round < WarmUpRounds; round++)
        {
            await BenchDags.PlainTasksAsync(template);
            await WithInMemoryAsync(async system => await BothDecisionPathsAsync(system, template));
            if (options.Databases.Contains(PersistenceProvider.Sqlite))
                await WithSqliteAsync(async (system, _) => await BothDecisionPathsAsync(system, template));
            await JitSettledAsync();
        }
        Report.Note($"warm-up: {template.Name} on each journal {WarmUpRounds} times, each followed by a second with no code compiled, " +
                    $"{watch.Stop().Seconds:0.0} s");
    }

    private const int WarmUpRounds = 3;

    private static async Task BothDecisionPathsAsync(ActorSystem system, WorkflowTemplate template)
    {
        await new SessionRun(system, template).RunToCompletionAsync();
        await new SessionRun(system, template, withoutEngine: true).RunToCompletionAsync();
    }

    /// <summary>Waits until the background JIT has stopped recompiling (no method compiled for a second, or 30 s at
    /// most): code that ran in the warm-up is promoted to optimised code in the background, after it has been called
    /// often enough and the process has been quiet for a moment.</summary>
    private static async Task<TimeSpan> JitSettledAsync()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var quietSince = watch.Elapsed;
        var count = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (watch.Elapsed - quietSince < TimeSpan.FromSeconds(1) && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != count) (count, quietSince) = (now, watch.Elapsed);
        }
        return quietSince;
    }

    public static async Task MemoryAsync(BenchOptions options)
    {
        var n = options.Quick ? 2_000 : 10_000;
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}: a fan-out/fan-in of {n} tasks held pending; load average {LoadAverage()}");
            var template = BenchDags.FanOut(n);
            var figures = new List<(string Name, double Value)>();
            await WithInMemoryAsync(async system =>
            {
                figures.Add(("pending task in-memory, held back", await PendingBytesPerTaskAsync(system, template, false)));
                figures.Add(("pending task in-memory, in flight", await PendingBytesPerTaskAsync(system, template, true)));
            });
            await WithSqliteAsync(async (system, _) =>
            {
                figures.Add(("pending task sqlite, held back", await PendingBytesPerTaskAsync(system, template, false)));
                figures.Add(("pending task sqlite, in flight", await PendingBytesPerTaskAsync(system, template, true)));
            });
            var dictionary = DictionaryBytesPerTask(template);
            foreach (var (name, value) in figures)
                Report.Line(name, value, "bytes/task", ("plain dictionary", dictionary));
        }
    }

    /// <summary>Managed heap growth per task while a session holds <paramref name="template"/>'s tasks: held back (the
    /// node has no free slot, so nothing is dispatched) or in flight (every parallel task dispatched to a model that
    /// never answers: its worker waits).</summary>
    private static async Task<double> PendingBytesPerTaskAsync(ActorSystem system, WorkflowTemplate template, bool inFlight)
    {
        var width = template.Nodes.Count - 2;
        var session = inFlight
            ? new SessionRun(system, template, g => InstantModel.TaskOf(g) == "root")
            : new SessionRun(system, template, nodeSlots: 0);
        await new SessionRun(system, BenchDags.FanOut(10)).RunToCompletionAsync(); // warm: the code paths are JIT-compiled
        var before = SettledHeap();
        await session.StartAsync();
        var deadline = DateTime.UtcNow + SessionRun.Timeout;
        while ((await session.StatusAsync()).InFlight != (inFlight ? width : 0))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"session {session.Id}: the tasks did not reach the state to measure");
            await Task.Delay(20);
        }
        var after = SettledHeap();
        var status = await session.StatusAsync();
        Report.Note($"{(inFlight ? "in flight" : "held back")}: {status.TotalTasks} tasks, {status.InFlight} in flight, {status.Succeeded} succeeded; " +
                    $"heap +{(after - before) / 1048576.0:0.0} MiB");
        await session.StopAsync();
        return (after - before) / (double)template.Nodes.Count;
    }

    /// <summary>The baseline: a dictionary of the same tasks' plan records by id (median of three measurements).</summary>
    private static double DictionaryBytesPerTask(WorkflowTemplate template) => Report.Median(Enumerable.Range(0, 3).Select(_ =>
    {
        var before = SettledHeap();
        var tasks = template.Nodes.ToDictionary(n => n.Id, PlannedTask.From, StringComparer.Ordinal);
        var after = SettledHeap();
        GC.KeepAlive(tasks);
        return (after - before) / (double)template.Nodes.Count;
    }).ToList());

    /// <summary>The managed heap once garbage and finalizers (of systems stopped earlier) are gone.</summary>
    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    internal static async Task WithInMemoryAsync(Func<ActorSystem, Task> body)
    {
        var system = Systems.InMemoryJournal();
        try
        {
            await new SessionRun(system, BenchDags.Chain(20)).RunToCompletionAsync();
            await body(system);
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    internal static async Task WithSqliteAsync(Func<ActorSystem, BenchDatabase, Task> body, SqliteSynchronous? synchronous = null)
    {
        await using var db = await BenchDatabase.CreateAsync(PersistenceProvider.Sqlite,
            s => synchronous is { } sync ? s with { SqliteSynchronous = sync } : s);
        var system = Systems.Sql(db);
        try
        {
            await new SessionRun(system, BenchDags.Chain(20)).RunToCompletionAsync(); // the plugin starts, its tables exist
            Report.Note(db.Describe());
            await body(system, db);
        }
        finally
        {
            await Systems.TerminateAsync(system);
        }
    }

    private static double Micro(double seconds, int count) => seconds * 1e6 / count;

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
