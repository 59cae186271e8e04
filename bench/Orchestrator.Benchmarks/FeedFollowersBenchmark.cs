using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>Followers of <c>GET /api/events</c> over a journal of 10,000 events (issue 23): the built node writes sessions
/// of <c>manuscript-review</c> (inputs of 4 KiB, one in ten of 200 KiB; no model serves them, so each task fails its
/// attempts) into a new SQLite file until the journal has the events; then the node is started again on that file and
/// N followers read the feed from its first event. Figures: the node's peak RSS (VmHWM) from its start to the last
/// follower caught up, seconds from start to ready and from ready to every follower caught up, and the slowest
/// <c>/health/ready</c> answer meanwhile. Baseline in the same run: the same with one follower.</summary>
internal static partial class FeedFollowersBenchmark
{
    private const string FeedTag = Orchestrator.Engine.Persistence.FeedTagger.FeedTag;

    public static async Task RunAsync(BenchOptions options)
    {
        var events = options.Quick ? 2_000 : 10_000;
        var followers = int.Parse(Value(options.Args, "--followers") ?? (options.Quick ? "50" : "200"));
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}");
            var dir = Directory.CreateTempSubdirectory("orch-bench-feed-").FullName;
            try
            {
                var db = Path.Combine(dir, "node.db");
                var (rows, tagged, last) = await WriteJournalAsync(dir, db, events);
                Report.Note($"journal: {rows} events, {tagged} on the feed, {new FileInfo(db).Length / 1024.0 / 1024:0.0} MiB");
                var one = await FollowAsync(dir, db, 1, last);
                var many = await FollowAsync(dir, db, followers, last);
                Report.Line($"{followers} followers: node peak RSS", many.PeakRssMb, "MB", ("1 follower", one.PeakRssMb));
                Report.Line($"{followers} followers: start to ready", many.ReadySeconds, "s", ("1 follower", one.ReadySeconds));
                Report.Line($"{followers} followers: ready to all caught up", many.CaughtUpSeconds, "s", ("1 follower", one.CaughtUpSeconds));
                Report.Line($"{followers} followers: slowest /health/ready", many.SlowestReadyMs, "ms", ("1 follower", one.SlowestReadyMs));
            }
            finally
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        }
    }

    private sealed record Followed(double PeakRssMb, double ReadySeconds, double CaughtUpSeconds, double SlowestReadyMs);

    private static Dictionary<string, string> Environment(string db) => new()
    {
        ["ORCH_SQLITE_PATH"] = db,
        ["ORCH_TEMPLATES_PATH"] = Path.Combine(RepositoryRoot.Path, "config", "workflows"),
    };

    /// <summary>Starts sessions through the node until the journal holds <paramref name="events"/> events; returns the
    /// journal's events, those on the feed, and the last feed event's ordering.</summary>
    private static async Task<(long Rows, long Tagged, long Last)> WriteJournalAsync(string dir, string db, int events)
    {
        await using var node = NodeProcess.Start(dir, Environment(db));
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}"), Timeout = TimeSpan.FromSeconds(60) };
        var small = new string('s', 4 * 1024);
        var large = string.Concat(Enumerable.Repeat("Zażółć \"gęślą\" jaźń. ", 200 * 1024 / 26));
        var started = 0;
        while (await CountAsync(db, "SELECT COUNT(*) FROM journal") < events)
        {
            var batch = Enumerable.Range(started, 10).Select(i => http.PostAsJsonAsync("/api/sessions", new
            {
                template = "manuscript-review",
                id = $"bench-{i}",
                inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = i % 10 == 0 ? large : small },
            }));
            foreach (var response in await Task.WhenAll(batch))
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"start refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            started += 10;
            await Task.Delay(200); // lets the sessions' tasks fail and write before the next count
        }
        node.Terminate();
        await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (await CountAsync(db, "SELECT COUNT(*) FROM journal"),
            await CountAsync(db, $"SELECT COUNT(*) FROM tags WHERE tag = '{FeedTag}'"),
            await CountAsync(db, $"SELECT MAX(ordering_id) FROM tags WHERE tag = '{FeedTag}'"));
    }

    private static async Task<long> CountAsync(string db, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }

    /// <summary>Starts the node on <paramref name="db"/>, opens <paramref name="followers"/> followers from the first event
    /// and times them to <paramref name="last"/>.</summary>
    private static async Task<Followed> FollowAsync(string dir, string db, int followers, long last)
    {
        var watch = Stopwatch.StartNew();
        await using var node = NodeProcess.Start(dir, Environment(db));
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        var ready = watch.Elapsed.TotalSeconds;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}"), Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var caughtUp = Stopwatch.StartNew();
        var all = Task.WhenAll(Enumerable.Range(0, followers).Select(_ => FollowToAsync(http, last, cts.Token)));
        var slowest = 0.0;
        using var probe = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        while (!all.IsCompleted)
        {
            var asked = Stopwatch.StartNew();
            (await probe.GetAsync("/health/ready", cts.Token)).Dispose();
            slowest = Math.Max(slowest, asked.Elapsed.TotalMilliseconds);
            await Task.WhenAny(all, Task.Delay(250, cts.Token));
        }
        try
        {
            await all;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nthe node's log of it:\n" +
                string.Join('\n', node.Output.Where(l => l.Contains("outage", StringComparison.Ordinal)).Distinct().Take(5)), e);
        }
        var seconds = caughtUp.Elapsed.TotalSeconds;
        var peak = PeakRssMb(node.Pid);
        node.Terminate();
        await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return new Followed(peak, ready, seconds, slowest);
    }

    private static async Task FollowToAsync(HttpClient http, long last, CancellationToken ct)
    {
        using var response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var end = "";
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
        {
            if (long.TryParse(item.EventId, out var id) && id >= last) return;
            if (item.EventType == "end") end = item.Data;
        }
        throw new InvalidOperationException($"the feed ended before its last event: {end}");
    }

    private static double PeakRssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(Digits().Match(line).Value) / 1024.0;
    }

    private static string? Value(IReadOnlyList<string> args, string key)
    {
        var i = args.ToList().IndexOf(key);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
