using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>Session and task throughput of a cluster of 1, 2 and 3 node processes on loopback (one throwaway PostgreSQL)
/// when the model is the bottleneck: every node serves model <c>scripted</c> from its own endpoint entry
/// (<c>max-concurrent = --concurrency</c>, 4) on one <see cref="ScriptedChatEndpoint"/> in this process, which answers
/// each call after <c>--latency-ms</c> (500), so each node adds that many sequences of model capacity. <c>--sessions</c>
/// (60) sessions of a four-task template (three tasks in parallel, then one after them) are started at once through
/// node 0's API: sessions/s and tasks/s from the first start to the last session's end, as the session list of node 0
/// shows them. The baseline is 1 node in the same run; the node counts alternate run by run (1, 2, 3 then 3, 2, 1),
/// <c>--runs N</c> (3). Goal (issue 20): 3 nodes at least 2x one node's session throughput.</summary>
internal static class ClusterThroughputBenchmark
{
    private const string TemplateName = "bench-throughput";
    private const int TasksPerSession = 4;

    private const string Template = """
        workflow {
          name = bench-throughput
          description = "Three drafts in parallel, then a summary of them: four model calls, no scoring"
          nodes {
            draft-a { role = writer, prompt = "Write the first part." }
            draft-b { role = writer, prompt = "Write the second part." }
            draft-c { role = writer, prompt = "Write the third part." }
            summary { role = writer, prompt = "Sum the three parts up.", depends-on = [draft-a, draft-b, draft-c] }
          }
        }
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>What one cluster did with the sessions.</summary>
    private sealed record Figures(double Seconds, int Completed, int Failed, int ModelCalls)
    {
        public double SessionsPerSecond => Completed / Seconds;

        public double TasksPerSecond => ModelCalls / Seconds;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--runs", 3));
        var sessions = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--sessions", 60));
        var latency = TimeSpan.FromMilliseconds(LlamaPoolBenchmark.IntOption(args, "--latency-ms", 500));
        var concurrency = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--concurrency", 4));
        Console.WriteLine($"cluster throughput benchmark {DateTime.UtcNow:u}: {sessions} sessions of {TasksPerSession} model calls, " +
                          $"a scripted model answering after {latency.TotalMilliseconds:0} ms, {concurrency} calls at once per node, " +
                          $"1, 2 and 3 nodes, {runs} runs; load average {Engine.EngineBenchmarks.LoadAverage()}");
        await using var endpoint = await ScriptedChatEndpoint.StartAsync(latency, "Done: the part is written.");
        for (var run = 1; run <= runs; run++)
        {
            var figures = new Dictionary<int, Figures>();
            foreach (var nodes in run % 2 == 1 ? new[] { 1, 2, 3 } : [3, 2, 1])
                figures[nodes] = await MeasureAsync(endpoint, nodes, sessions, concurrency);
            var one = figures[1];
            Report.Line("cluster-throughput 1 node", one.SessionsPerSecond, "sessions/s");
            Report.Line("cluster-throughput 2 nodes", figures[2].SessionsPerSecond, "sessions/s", ("1 node", one.SessionsPerSecond));
            Report.Line("cluster-throughput 3 nodes", figures[3].SessionsPerSecond, "sessions/s", ("1 node", one.SessionsPerSecond));
            Report.Line("cluster-throughput 1 node tasks", one.TasksPerSecond, "tasks/s");
            Report.Line("cluster-throughput 2 nodes tasks", figures[2].TasksPerSecond, "tasks/s", ("1 node", one.TasksPerSecond));
            Report.Line("cluster-throughput 3 nodes tasks", figures[3].TasksPerSecond, "tasks/s", ("1 node", one.TasksPerSecond));
        }
        Report.Summary();
        Console.WriteLine($"load average at the end {Engine.EngineBenchmarks.LoadAverage()}");
        return 0;
    }

    private static async Task<Figures> MeasureAsync(ScriptedChatEndpoint endpoint, int nodes, int sessions, int concurrency)
    {
        var dir = Directory.CreateTempSubdirectory("orch-bench-throughput-").FullName;
        try
        {
            var workflows = Directory.CreateDirectory(Path.Combine(dir, "workflows")).FullName;
            await File.WriteAllTextAsync(Path.Combine(workflows, $"{TemplateName}.conf"), Template);
            await using var cluster = await NodeCluster.StartAsync(dir, model: "", nodes, nodeConfig: i => $$"""
                orchestrator.llm.endpoints.scripted { url = {{TinyModelNode.Quote(endpoint.Url(Caller(i)))}}, max-concurrent = {{concurrency}} }
                orchestrator.sessions.templates-path = {{TinyModelNode.Quote(workflows)}}
                orchestrator.sessions.models-by-role { writer = scripted }
                """);
            using var api = cluster.Api(0);
            endpoint.Reset();
            var clock = Stopwatch.StartNew();
            var started = DateTimeOffset.UtcNow;
            await Task.WhenAll(Enumerable.Range(1, sessions).Select(i => StartAsync(api, $"tp-{i}")));
            var startedAll = clock.Elapsed;
            var ended = await WaitUntilEndedAsync(api, sessions, cluster);
            var last = ended.Max(s => s.GetProperty("updatedAt").GetDateTimeOffset());
            var failed = ended.Count(s => !Lifecycle(s, "completed"));
            var figures = new Figures((last - started).TotalSeconds, ended.Count - failed, failed, endpoint.Calls.Values.Sum());
            var busiest = await ReportPlacementAsync(api, cluster, endpoint, nodes);
            var floor = Math.Ceiling(busiest / (double)concurrency) * endpoint.Latency.TotalSeconds;
            Console.WriteLine($"{nodes} node(s): {figures.Completed} sessions completed, {figures.Failed} failed, {figures.ModelCalls} model calls " +
                              $"in {figures.Seconds:0.0} s (all started after {startedAll.TotalSeconds:0.0} s; the busiest node's calls back to back " +
                              $"at its capacity take {floor:0.0} s), at most {endpoint.MostRunning} calls at once (capacity {nodes * concurrency}): " +
                              $"{figures.SessionsPerSecond:0.00} sessions/s, {figures.TasksPerSecond:0.0} tasks/s");
            if (figures.Failed > 0)
                throw new InvalidOperationException($"{figures.Failed} sessions failed: the figures would not be of the same work.\n{cluster.Transcripts}");
            return figures;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>How node <paramref name="i"/> names itself to the endpoint.</summary>
    private static string Caller(int i) => $"node{i}";

    private static async Task StartAsync(HttpClient api, string id)
    {
        var created = await api.PostAsJsonAsync("/api/sessions", new { template = TemplateName, id, inputs = new Dictionary<string, string>() });
        if (!created.IsSuccessStatusCode)
            throw new InvalidOperationException($"Starting {id}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits until node 0's session list shows every session ended; returns their summaries.</summary>
    private static async Task<List<JsonElement>> WaitUntilEndedAsync(HttpClient api, int sessions, NodeCluster cluster)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/sessions?template={TemplateName}&limit=500");
            var ended = page.GetProperty("sessions").EnumerateArray()
                .Where(s => Lifecycle(s, "completed") || Lifecycle(s, "failed") || Lifecycle(s, "cancelled")).ToList();
            if (ended.Count == sessions)
                return ended;
            if (deadline.Elapsed > Deadline)
                throw new TimeoutException($"Only {ended.Count} of {sessions} sessions ended within {Deadline}.\n{cluster.Transcripts}");
            await Task.Delay(PollEvery);
        }
    }

    private static bool Lifecycle(JsonElement session, string lifecycle) =>
        string.Equals(session.GetProperty("lifecycle").GetString(), lifecycle, StringComparison.OrdinalIgnoreCase);

    /// <summary>Prints where the sessions ran (the shard regions' entities per node) and whose endpoint entry served
    /// their calls, and checks the node-local rule: every node's calls are its own sessions' tasks. Returns the most
    /// calls one node made.</summary>
    private static async Task<int> ReportPlacementAsync(HttpClient api, NodeCluster cluster, ScriptedChatEndpoint endpoint, int nodes)
    {
        var stats = await api.GetFromJsonAsync<JsonElement>("/api/cluster/sharding");
        var entities = stats.GetProperty("regions").EnumerateArray()
            .ToDictionary(r => r.GetProperty("address").GetString()!, r => r.GetProperty("entities").GetInt32());
        var placement = Enumerable.Range(0, nodes)
            .Select(i => (Sessions: entities.GetValueOrDefault(cluster.Address(i)), Calls: endpoint.Calls.GetValueOrDefault(Caller(i))))
            .ToList();
        var local = placement.All(p => p.Calls == p.Sessions * TasksPerSession);
        Report.Note($"{nodes} node(s): sessions per node {string.Join('/', placement.Select(p => p.Sessions))}, " +
                    $"model calls per node's endpoint {string.Join('/', placement.Select(p => p.Calls))}; " +
                    (local ? "every call from the node running its session" : "NOT node-local: calls do not match the sessions each node runs"));
        return placement.Max(p => p.Calls);
    }
}
