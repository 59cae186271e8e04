using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Client;
using Orchestrator.Llama.Gguf;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary><c>GET /api/cluster/sharding</c> on two node processes: every node's region with its shards while all answer;
/// once one is SIGKILLed and unreachable (and not yet downed: the resolver waits a minute here), a 503 that says the
/// regions did not all answer and names the unreachable member, instead of a list without that node's region (Akka
/// answered one with no region at all) or a 500 after Akka's own time-out; and a session on the unreachable node, asked
/// for through the other, is a 503 to retry once the node's ask has timed out, not a 500.</summary>
public sealed class ClusterShardingApiSpec : IDisposable
{
    private static readonly SessionMessageExtractor Shards = new(100);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-sharding-api-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_regions_are_listed_and_an_unreachable_member_is_a_503_naming_it()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        await using var cluster = await NodeCluster.StartAsync(_dir, model, nodes: 2,
            extraConfig: "akka.cluster.split-brain-resolver.stable-after = 60s");
        using var api = cluster.Api(0);

        JsonElement sharding = default;
        await Eventually.HoldsAsync(async () =>
        {
            sharding = await api.GetFromJsonAsync<JsonElement>("/api/cluster/sharding");
            return sharding.GetProperty("regions").GetArrayLength() == 2;
        }, TimeSpan.FromSeconds(60), () => $"both regions listed: {sharding}");
        Assert.Equal("session", sharding.GetProperty("typeName").GetString());
        var sessions = await NodeCluster.StartSessionsAsync(api, "sharding", 6);
        var onVictim = (await cluster.SessionsOnAsync(api, 1, sessions, id => Shards.ShardId(id, null)))[0];

        await cluster.KillAsync(1);
        await Eventually.HoldsAsync(async () =>
            (await NodeCluster.MembersAsync(api)).Any(m => !m.GetProperty("reachable").GetBoolean()), TimeSpan.FromSeconds(60),
            () => "node 0 to see node 1 unreachable");

        var response = await api.GetAsync("/api/cluster/sharding");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}: {body}");
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        Assert.Contains("The shard regions did not all answer", detail);
        Assert.Contains($"unreachable: {cluster.Address(1)}", detail);

        // A session on the unreachable node does not answer: after the node's ask time-out, a 503 to retry, not a 500.
        using var patient = cluster.Api(0);
        patient.Timeout = TimeSpan.FromSeconds(90);
        var status = await patient.GetAsync($"/api/sessions/{onVictim}");
        var problem = await status.Content.ReadAsStringAsync();
        Assert.True(status.StatusCode == HttpStatusCode.ServiceUnavailable, $"{status.StatusCode}: {problem}");
        Assert.Equal(TimeSpan.FromSeconds(5), status.Headers.RetryAfter?.Delta);
        Assert.Contains("did not answer in time", JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString());
    }
}
