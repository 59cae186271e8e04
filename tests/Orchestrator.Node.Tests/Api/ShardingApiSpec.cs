using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>GET /api/cluster/sharding</c>: the <c>session</c> region of each node with its shards and entities.</summary>
public sealed class ShardingApiSpec : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync(
        $"orchestrator.sessions.templates-path = {HoconText.Quote(Path.Combine(RepositoryRoot.Path, "config", "workflows"))}");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Running_sessions_show_as_entities_of_this_node_s_region()
    {
        foreach (var id in new[] { "shard-a", "shard-b" })
        {
            var created = await _node.Http.PostAsJsonAsync("/api/sessions",
                new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Once." } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            await _node.Http.PostAsync($"/api/sessions/{id}/pause", null);
        }

        var sharding = await _node.Http.GetFromJsonAsync<JsonElement>("/api/cluster/sharding");

        Assert.Equal("session", sharding.GetProperty("typeName").GetString());
        var region = Assert.Single(sharding.GetProperty("regions").EnumerateArray());
        Assert.True(region.GetProperty("isSelf").GetBoolean());
        Assert.Equal(2, region.GetProperty("entities").GetInt32());
        Assert.Equal(2, sharding.GetProperty("entities").GetInt32());
        Assert.Equal(region.GetProperty("shards").GetInt32(), region.GetProperty("shardStats").GetArrayLength());
        Assert.Equal(2, region.GetProperty("shardStats").EnumerateArray().Sum(s => s.GetProperty("entities").GetInt32()));
        Assert.Empty(region.GetProperty("failed").EnumerateArray());
    }
}
