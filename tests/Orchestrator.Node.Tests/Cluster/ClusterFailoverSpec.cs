using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Orchestrator.Engine.Sessions;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>Three node processes on one PostgreSQL with sessions in flight, one node SIGKILLed: every session completes,
/// no completed task runs again, no event is written twice, and no shard runs without its lease in the database.</summary>
public sealed class ClusterFailoverSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sessions_of_a_SIGKILLed_node_resume_on_the_others_without_running_a_completed_task_again()
    {
        await using var cluster = await NodeCluster.StartAsync(_dir, nodes: 3);
        using var api = cluster.Api(0);
        var sessions = await StartSessionsAsync(api, "failover", 12);

        var onVictim = await SessionsOnAsync(api, cluster.Address(1), sessions);
        Assert.NotEmpty(onVictim);
        await WaitUntilDispatchedAsync(api, onVictim, cluster);
        await AssertShardLeasesHeldAsync(cluster, onVictim);
        await cluster.KillAsync(1);
        var killedAt = DateTimeOffset.UtcNow;

        var journals = await WaitUntilFinishedAsync(api, sessions, cluster);
        AssertCompletedOnce(journals);
        var resumed = onVictim
            .SelectMany(id => journals[id].Select(e => e.GetProperty("timestamp").GetDateTimeOffset()))
            .Where(t => t > killedAt)
            .DefaultIfEmpty(DateTimeOffset.MaxValue)
            .Min();
        output.WriteLine($"{onVictim.Count} sessions on the killed node; first resumed step {(resumed - killedAt).TotalSeconds:0.0} s after the kill");
    }

    /// <summary>The case that split a cluster in two on one database: every node lists only node 0 as its seed, and node
    /// 0 (the oldest: the shard coordinator's home) is SIGKILLed and started again at once, while nodes 1 and 2 still see
    /// it unreachable. Akka's seed rule alone lets it form a cluster of its own and run the same sessions beside the
    /// others; the node instead sees that nodes 1 and 2 hold leases in the database and joins them.</summary>
    [Fact]
    public async Task The_only_seed_SIGKILLed_and_restarted_at_once_joins_the_running_cluster_and_no_task_completes_twice()
    {
        await using var cluster = await NodeCluster.StartAsync(_dir, nodes: 3, seeds: [0]);
        using var api = cluster.Api(1);
        var sessions = await StartSessionsAsync(api, "reseed", 9);
        await WaitUntilDispatchedAsync(api, sessions, cluster);

        await cluster.KillAsync(0);
        cluster.Start(0);
        await cluster[0].WaitUntilReadyAsync(Deadline);

        var journals = await WaitUntilFinishedAsync(api, sessions, cluster);
        AssertCompletedOnce(journals);
        // One cluster: the restarted node sees the other two as members, and they see it.
        await cluster.WaitForMembersAsync(0, 3);
        await cluster.WaitForMembersAsync(1, 3);
        Assert.Contains(cluster[0].Output, l => l.Contains("joining it, never forming another", StringComparison.Ordinal));
    }

    private static async Task<List<string>> StartSessionsAsync(HttpClient api, string prefix, int count)
    {
        var sessions = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in sessions)
        {
            var created = await api.PostAsJsonAsync("/api/sessions",
                new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = $"The keeper counted {id} ships." } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        return sessions;
    }

    private static Task WaitUntilDispatchedAsync(HttpClient api, List<string> sessions, NodeCluster cluster) =>
        Eventually.HoldsAsync(async () =>
        {
            foreach (var id in sessions)
                if (!(await JournalAsync(api, id)).Any(e => Manifest(e) == "task-dispatched.v1"))
                    return false;
            return true;
        }, Deadline, () => "the sessions to dispatch\n" + cluster.Transcripts);

    private static async Task<Dictionary<string, JsonElement[]>> WaitUntilFinishedAsync(HttpClient api, List<string> sessions, NodeCluster cluster)
    {
        var journals = new Dictionary<string, JsonElement[]>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in sessions.Where(s => !journals.ContainsKey(s)))
            {
                var events = await JournalAsync(api, id);
                if (events.Any(e => Manifest(e) is "session-completed.v1" or "session-failed.v1"))
                    journals[id] = events;
            }
            return journals.Count == sessions.Count;
        }, Deadline, () => $"all sessions to finish; finished: {string.Join(", ", journals.Keys)}\n{cluster.Transcripts}");
        return journals;
    }

    /// <summary>Each session's shard runs where the database says its lease is held.</summary>
    private static async Task AssertShardLeasesHeldAsync(NodeCluster cluster, List<string> sessions)
    {
        var extractor = new SessionMessageExtractor(100);
        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();
        foreach (var id in sessions)
        {
            await using var query = new NpgsqlCommand("SELECT owner FROM cluster_lease WHERE name = @name AND expires_at >= now()", db);
            query.Parameters.AddWithValue("name", $"orchestrator-shard-session-{extractor.ShardId(id, null)}");
            var owner = await query.ExecuteScalarAsync() as string;
            Assert.True(owner is not null && cluster.Address(1).EndsWith(owner[..owner.IndexOf('#')], StringComparison.Ordinal),
                $"the lease of {id}'s shard is held by node 1, not by '{owner}'");
        }
    }

    /// <summary>The sessions among <paramref name="ids"/> whose shard is hosted by the node at <paramref name="address"/>.</summary>
    private static async Task<List<string>> SessionsOnAsync(HttpClient api, string address, List<string> ids)
    {
        var extractor = new SessionMessageExtractor(100);
        HashSet<string> shards = [];
        await Eventually.HoldsAsync(async () =>
        {
            var stats = await api.GetFromJsonAsync<JsonElement>("/api/cluster/sharding");
            shards = stats.GetProperty("regions").EnumerateArray()
                .Where(r => r.GetProperty("address").GetString() == address)
                .SelectMany(r => r.GetProperty("shardStats").EnumerateArray().Select(s => s.GetProperty("shardId").GetString()!))
                .ToHashSet();
            return ids.Any(id => shards.Contains(extractor.ShardId(id, null)));
        }, Deadline, () => $"a session on {address}");
        return ids.Where(id => shards.Contains(extractor.ShardId(id, null))).ToList();
    }

    private static async Task<JsonElement[]> JournalAsync(HttpClient api, string id)
    {
        var reply = await api.GetFromJsonAsync<JsonElement>($"/api/journal/session-{id}?max=10000");
        return reply.GetProperty("events").EnumerateArray().ToArray();
    }

    private static string? Manifest(JsonElement e) => e.GetProperty("manifest").GetString();

    /// <summary>Every session completed; within an iteration a task succeeded at most once; sequence numbers never repeat.</summary>
    private static void AssertCompletedOnce(Dictionary<string, JsonElement[]> journals)
    {
        foreach (var (id, events) in journals)
        {
            Assert.True(events.Any(e => Manifest(e) == "session-completed.v1"), $"{id} did not complete");
            var sequenceNumbers = events.Select(e => e.GetProperty("sequenceNr").GetInt64()).ToList();
            Assert.Equal(sequenceNumbers.Count, sequenceNumbers.Distinct().Count());
            var perIteration = new Dictionary<(int, string), int>();
            var iteration = 1;
            foreach (var e in events)
            {
                var body = e.GetProperty("event");
                if (Manifest(e) == "iteration-started.v1") iteration = body.GetProperty("iteration").GetInt32();
                if (Manifest(e) != "task-succeeded.v1") continue;
                var key = (iteration, body.GetProperty("taskId").GetString()!);
                perIteration[key] = perIteration.GetValueOrDefault(key) + 1;
            }
            Assert.All(perIteration, kv => Assert.True(kv.Value == 1, $"{id}: {kv.Key} succeeded {kv.Value} times"));
        }
    }
}
