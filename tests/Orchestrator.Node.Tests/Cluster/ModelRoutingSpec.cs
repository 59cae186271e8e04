using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Client;
using Orchestrator.Engine.Sessions;
using Orchestrator.Llama.Gguf;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>Two node processes on one PostgreSQL, of which only node 1 serves model <c>tiny</c>, the model of role
/// <c>writer</c>; node 0 serves no model at all. Sessions started through node 0 run wherever their shard is; those on
/// node 0 send their generations to node 1 through node 0's model router, and every session completes its writer
/// tasks. A session with a role whose model (<c>absent</c>) no node serves is refused at its start, on either node,
/// naming the role and the model.</summary>
public sealed class ModelRoutingSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly SessionMessageExtractor Shards = new(100);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-routing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sessions_on_a_node_without_the_model_run_their_generations_on_the_node_that_serves_it()
    {
        await using var cluster = await StartAsync(maxTokens: 64);
        await cluster.WaitForMembersAsync(1, 2);
        using var a = cluster.Api(0);
        using var b = cluster.Api(1);
        var servedByA = await a.GetFromJsonAsync<JsonElement>("/api/models");
        Assert.Empty(servedByA.GetProperty("models").EnumerateArray());

        var sessions = Enumerable.Range(1, 6).Select(i => $"routed-{i}").ToList();
        foreach (var id in sessions)
        {
            var created = await a.PostAsJsonAsync("/api/sessions", new { template = "routed", id, inputs = new Dictionary<string, string>() });
            Assert.True(created.IsSuccessStatusCode, $"{id}: {await created.Content.ReadAsStringAsync()}");
        }
        var onA = await cluster.SessionsOnAsync(a, 0, sessions, id => Shards.ShardId(id, null));
        output.WriteLine($"sessions hosted by node 0: {string.Join(", ", onA)}");
        Assert.NotEmpty(onA);

        var details = new Dictionary<string, JsonElement>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in sessions.Where(s => !details.ContainsKey(s)))
            {
                var detail = await a.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
                if (detail.GetProperty("lifecycle").GetString() is "completed" or "failed") details[id] = detail;
            }
            return details.Count == sessions.Count;
        }, Deadline, () => $"every session to finish; finished: {string.Join(", ", details.Keys)}\n{cluster.Transcripts}");

        foreach (var (id, detail) in details)
        {
            var tasks = detail.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
            Assert.True(tasks["draft"].GetProperty("state").GetString() == "succeeded", $"{id}: {tasks["draft"]}");
            Assert.True(tasks["polish"].GetProperty("state").GetString() == "succeeded", $"{id}: {tasks["polish"]}");
        }
        // Whichever node a session's shard is on, a role no node serves refuses it, and nothing is written.
        foreach (var id in Enumerable.Range(1, 6).Select(i => $"archived-{i}"))
        {
            var refused = await a.PostAsJsonAsync("/api/sessions", new { template = "archived", id, inputs = new Dictionary<string, string>() });
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{id}: {refused.StatusCode} {problem}");
            Assert.Contains("role 'archivist'", problem);
            Assert.Contains("model 'absent'", problem);
        }
        // Node 0 serves no model: every writer generation, those of node 0's sessions included, ran on node 1.
        var stats = await b.GetFromJsonAsync<JsonElement>("/api/models/tiny/stats");
        Assert.True(stats.GetProperty("requestsServed").GetInt64() >= 2 * sessions.Count, stats.ToString());
    }

    [Fact]
    public async Task Sessions_whose_generations_run_on_a_node_that_is_SIGKILLed_fail_their_tasks_with_the_reason_and_nothing_hangs()
    {
        await using var cluster = await StartAsync(maxTokens: 4000);
        await cluster.WaitForMembersAsync(1, 2);
        using var a = cluster.Api(0);
        using var b = cluster.Api(1);
        // Mid-generation: a task of a session of node 0 is in flight, so node 1 is generating its answer (up to 4,000
        // tokens) now. The random-weight model may end one early, so which task is cut is the model's roll; a session
        // whose draft ends as node 1 dies has its polish in flight there next. It may also end every answer at once, so
        // that node 0's sessions end before any task is seen in flight: then four more are started, up to 4 rounds.
        List<string> onA = [];
        for (var round = 1; onA.Count == 0; round++)
        {
            var sessions = Enumerable.Range(1, 4).Select(i => $"cut-{round}-{i}").ToList();
            foreach (var id in sessions)
            {
                var created = await a.PostAsJsonAsync("/api/sessions", new { template = "routed", id, inputs = new Dictionary<string, string>() });
                Assert.True(created.IsSuccessStatusCode, $"{id}: {await created.Content.ReadAsStringAsync()}");
            }
            var placed = await cluster.SessionsOnAsync(a, 0, sessions, id => Shards.ShardId(id, null));
            Assert.NotEmpty(placed);
            var inFlight = false;
            await Eventually.HoldsAsync(async () =>
            {
                var ended = 0;
                foreach (var id in placed)
                {
                    var detail = await a.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
                    if (detail.GetProperty("tasks").EnumerateArray().Any(t => t.GetProperty("state").GetString() == "dispatched")) return inFlight = true;
                    if (detail.GetProperty("lifecycle").GetString() is "completed" or "failed") ended++;
                }
                return ended == placed.Count;
            }, Deadline, () => "a task of node 0's sessions to be in flight, or all of them to end");
            if (inFlight) onA = placed;
            else Assert.True(round < 4, "node 0's sessions ended before any of their tasks was seen in flight, 4 rounds in a row");
        }

        await cluster.KillAsync(1);

        // Node 0's sessions lose their generations with the node (retryable), then find no node serving tiny: a task cut
        // or not yet run fails with a reason naming the model, and the sessions end instead of waiting for answers that
        // cannot come. A session whose answers all came before the kill completed; the one seen in flight was cut.
        var details = new Dictionary<string, JsonElement>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in onA.Where(s => !details.ContainsKey(s)))
            {
                var detail = await a.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
                if (detail.GetProperty("lifecycle").GetString() is "completed" or "failed") details[id] = detail;
            }
            return details.Count == onA.Count;
        }, Deadline, () => $"node 0's sessions to end; ended: {string.Join(", ", details.Keys)}\n{cluster.Transcripts}");
        Assert.Contains(details.Values, d => d.GetProperty("lifecycle").GetString() == "failed");
        foreach (var (id, detail) in details)
        {
            var tasks = detail.GetProperty("tasks").EnumerateArray().ToList();
            if (detail.GetProperty("lifecycle").GetString() == "completed")
                Assert.All(tasks, t => Assert.Equal("succeeded", t.GetProperty("state").GetString()));
            else
                Assert.Contains(tasks, t => t.GetProperty("state").GetString() == "failed"
                    && t.GetProperty("lastError").GetString()!.Contains("tiny", StringComparison.Ordinal));
        }
        using var ready = await a.GetAsync("/health/ready");
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync());
    }

    /// <summary>Two nodes; only node 1 serves <c>tiny</c>, the model of role <c>writer</c> (answers of at most
    /// <paramref name="maxTokens"/>); the templates <c>routed</c> (two writer tasks in a chain) and <c>archived</c>.</summary>
    private async Task<NodeCluster> StartAsync(int maxTokens)
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "routed.conf"), """
            workflow {
              name = routed
              settings { retry-base-delay = 100ms, retry-max-delay = 200ms }
              nodes {
                draft { role = writer, prompt = "Say hello." }
                polish { role = writer, prompt = "Say it again.", depends-on = [draft] }
              }
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(workflows, "archived.conf"), """
            workflow {
              name = archived
              nodes {
                draft { role = writer, prompt = "Say hello." }
                archive { role = archivist, prompt = "Say goodbye." }
              }
            }
            """);
        var shared = $$"""
            orchestrator.llm.hosting = in-process
            orchestrator.sessions.templates-path = {{TinyModelNode.Quote(workflows)}}
            orchestrator.sessions.models-by-role { writer = tiny, archivist = absent }
            orchestrator.sessions.max-tokens = {{maxTokens}}
            """;
        return await NodeCluster.StartAsync(_dir, model, nodes: 2, nodeConfig: i => i == 1
            ? $"{shared}\norchestrator.llm.models.tiny {{ path = {TinyModelNode.Quote(model)}, context-size = 4096, sequences = 2, threads = 1 }}"
            : shared);
    }
}
