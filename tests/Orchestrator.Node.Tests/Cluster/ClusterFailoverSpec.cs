using System.Collections.Concurrent;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Npgsql;
using Orchestrator.Client;
using Orchestrator.Engine.Sessions;
using Orchestrator.Llama.Gguf;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>Three node processes on one PostgreSQL with sessions in flight (30 started through one node's API), one node
/// SIGKILLed: every session completes, no completed task runs again, no event is written twice, no shard runs without
/// its lease in the database, and a client following a session on the killed node reconnects to another with
/// <c>Last-Event-ID</c> and misses no event.</summary>
public sealed class ClusterFailoverSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly SessionMessageExtractor Shards = new(100);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sessions_of_a_SIGKILLed_node_resume_on_the_others_without_running_a_completed_task_again()
    {
        await using var cluster = await NodeCluster.StartAsync(_dir, TinyModelFile(), nodes: 3);
        using var api = cluster.Api(0);
        var sessions = await NodeCluster.StartSessionsAsync(api, "failover", 30);

        var onVictim = await cluster.SessionsOnAsync(api, 1, sessions, ShardOf);
        Assert.NotEmpty(onVictim);
        await cluster.WaitUntilDispatchedAsync(api, onVictim);
        await AssertShardLeasesHeldByAsync(cluster, 1, onVictim);
        // A client follows one of the victim's sessions through the victim's own API: the one started last, the likeliest
        // to run still when the node dies (should it end before, the client reads its end there and nothing after).
        var watched = onVictim[^1];
        using var victimApi = cluster.Api(1);
        var beforeKill = new ConcurrentQueue<long>();
        var following = FollowAsync(victimApi, watched, null, beforeKill);
        await Eventually.HoldsAsync(() => Task.FromResult(!beforeKill.IsEmpty), TimeSpan.FromMinutes(1), () => $"an event of {watched} on node 1");
        await cluster.KillAsync(1);
        var killedAt = DateTimeOffset.UtcNow;
        try
        {
            await following;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            output.WriteLine($"the stream of {watched} on node 1 broke with the node: {e.GetType().Name}");
        }

        // It reconnects to another node after the last event it saw, as soon as that node answers for the session (until
        // the killed node is downed, its sessions do not answer: a 503 after the node's ask time-out, here the client's).
        var afterKill = new ConcurrentQueue<long>();
        await Eventually.HoldsAsync(async () =>
        {
            using var reconnecting = cluster.Api(0);
            reconnecting.Timeout = TimeSpan.FromSeconds(10);
            try
            {
                await FollowAsync(reconnecting, watched, afterKill.IsEmpty ? beforeKill.Max() : afterKill.Max(), afterKill);
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(3), () => $"{watched}'s events on node 0");

        var journals = await cluster.WaitUntilFinishedAsync(api, sessions);
        AssertCompletedOnce(journals);
        // Nothing lost, nothing twice: the events seen on the two nodes are the session's journal, in order.
        Assert.Equal(journals[watched].Select(e => e.GetProperty("sequenceNr").GetInt64()), beforeKill.Concat(afterKill));
        var resumed = NodeCluster.FirstEventAfter(onVictim.Select(id => journals[id]), killedAt);
        output.WriteLine($"{onVictim.Count} sessions on the killed node; first resumed step {(resumed - killedAt)?.TotalSeconds:0.0} s after the kill");
    }

    /// <summary>A node leaving gracefully (<c>POST /api/cluster/leave</c>, what <c>orch cluster leave</c> and a preStop hook
    /// call) hands its shards over: its sessions go on elsewhere, none fails, no completed task runs again, and the node's
    /// process ends by itself.</summary>
    [Fact]
    public async Task A_node_that_leaves_gracefully_hands_its_sessions_over_and_exits()
    {
        await using var cluster = await NodeCluster.StartAsync(_dir, TinyModelFile(), nodes: 3);
        using var api = cluster.Api(0);
        var sessions = await NodeCluster.StartSessionsAsync(api, "leave", 12);
        var onLeaver = await cluster.SessionsOnAsync(api, 1, sessions, ShardOf);
        Assert.NotEmpty(onLeaver);
        await cluster.WaitUntilDispatchedAsync(api, onLeaver);

        using var leaver = cluster.Api(1);
        var leave = await leaver.PostAsync("/api/cluster/leave", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, leave.StatusCode);
        Assert.Equal(0, await cluster[1].WaitForExitAsync(TimeSpan.FromMinutes(2)));

        AssertCompletedOnce(await cluster.WaitUntilFinishedAsync(api, sessions));
        await cluster.WaitForMembersAsync(0, 2);
    }

    /// <summary>The case that split a cluster in two on one database: every node lists only node 0 as its seed, and node
    /// 0 (the oldest: the shard coordinator's home) is SIGKILLed and started again at once, while nodes 1 and 2 still see
    /// it unreachable. Akka's seed rule alone lets it form a cluster of its own (and then only the shard leases keep it
    /// from running the same sessions); the node instead sees that nodes 1 and 2 hold leases and joins them, once its
    /// earlier incarnation's leases have expired and the cluster has had time to remove it.</summary>
    [Fact]
    public async Task The_only_seed_SIGKILLed_and_restarted_at_once_joins_the_running_cluster_and_no_task_completes_twice()
    {
        await using var cluster = await NodeCluster.StartAsync(_dir, TinyModelFile(), nodes: 3, seeds: [0]);
        using var api = cluster.Api(1);
        var sessions = await NodeCluster.StartSessionsAsync(api, "reseed", 9);
        await cluster.WaitUntilDispatchedAsync(api, sessions);

        await cluster.KillAsync(0);
        cluster.Start(0);
        await cluster.WaitUntilReadyAsync(0);

        AssertCompletedOnce(await cluster.WaitUntilFinishedAsync(api, sessions));
        // One cluster: the restarted node sees the other two as members, and they see it.
        await cluster.WaitForMembersAsync(0, 3);
        await cluster.WaitForMembersAsync(1, 3);
        Assert.Contains(cluster[0].Output, l => l.Contains("joining it, never forming another", StringComparison.Ordinal));
    }

    /// <summary>Reads session <paramref name="id"/>'s events from <paramref name="api"/> after <paramref name="lastSeen"/>
    /// (as <c>Last-Event-ID</c>) into <paramref name="ids"/> until its stream ends; a refusal is an
    /// <see cref="HttpRequestException"/>.</summary>
    private static async Task FollowAsync(HttpClient api, string id, long? lastSeen, ConcurrentQueue<long> ids)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{id}/events");
        if (lastSeen is { } last) request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
            if (item.EventId is { Length: > 0 } eventId)
                ids.Enqueue(long.Parse(eventId, CultureInfo.InvariantCulture));
    }

    private string TinyModelFile()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        return model;
    }

    private static string ShardOf(string sessionId) => Shards.ShardId(sessionId, null);

    /// <summary>Each session's shard runs where the database says its lease is held.</summary>
    private static async Task AssertShardLeasesHeldByAsync(NodeCluster cluster, int node, List<string> sessions)
    {
        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();
        foreach (var id in sessions)
        {
            await using var query = new NpgsqlCommand("SELECT owner FROM cluster_lease WHERE name = @name AND expires_at >= now()", db);
            query.Parameters.AddWithValue("name", $"orchestrator-shard-session-{ShardOf(id)}");
            var owner = await query.ExecuteScalarAsync() as string;
            Assert.True(owner is not null && cluster.Address(node).EndsWith("@" + owner[..owner.IndexOf('#')], StringComparison.Ordinal),
                $"the lease of {id}'s shard is held by node {node}, not by '{owner}'");
        }
    }

    /// <summary>Every session completed; within an iteration a task succeeded at most once; sequence numbers never repeat.</summary>
    private static void AssertCompletedOnce(Dictionary<string, JsonElement[]> journals)
    {
        foreach (var (id, events) in journals)
        {
            Assert.True(events.Any(e => NodeCluster.Manifest(e) == "session-completed.v1"), $"{id} did not complete");
            var sequenceNumbers = events.Select(e => e.GetProperty("sequenceNr").GetInt64()).ToList();
            Assert.Equal(sequenceNumbers.Count, sequenceNumbers.Distinct().Count());
            var perIteration = new Dictionary<(int, string), int>();
            var iteration = 1;
            foreach (var e in events)
            {
                var body = e.GetProperty("event");
                if (NodeCluster.Manifest(e) == "iteration-started.v1") iteration = body.GetProperty("iteration").GetInt32();
                if (NodeCluster.Manifest(e) != "task-succeeded.v1") continue;
                var key = (iteration, body.GetProperty("taskId").GetString()!);
                perIteration[key] = perIteration.GetValueOrDefault(key) + 1;
            }
            Assert.All(perIteration, kv => Assert.True(kv.Value == 1, $"{id}: {kv.Key} succeeded {kv.Value} times"));
        }
    }
}
