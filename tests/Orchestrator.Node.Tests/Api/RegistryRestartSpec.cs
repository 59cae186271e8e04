using System.Net;
using System.Net.Http.Json;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary>What is registered through the API is persisted: a node started again over the same SQLite file still has
/// the agent and the council, and what was removed stays removed.</summary>
public sealed class RegistryRestartSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-registry-restart-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_registered_agent_and_a_created_council_are_there_after_the_node_restarts()
    {
        await using (var first = await RegistryNode.StartAsync(_dir))
        {
            (await first.Http.PostAsJsonAsync("/api/agents", new { name = "dev-1", role = "DEV", model = "tiny", capabilities = new[] { "code" } }))
                .EnsureSuccessStatusCode();
            (await first.Http.PostAsJsonAsync("/api/agents", new { name = "gone", role = "QA", model = "tiny" })).EnsureSuccessStatusCode();
            (await first.Http.DeleteAsync("/api/agents/gone")).EnsureSuccessStatusCode();
            (await first.Http.PostAsJsonAsync("/api/councils", new { role = "DEV", members = new[] { new { role = "DEV" }, new { role = "QA" } }, rounds = 3 }))
                .EnsureSuccessStatusCode();
        }

        await using var second = await RegistryNode.StartAsync(_dir);
        var agent = Assert.Single((await second.Http.GetJson("/api/agents")).GetProperty("agents").EnumerateArray());
        Assert.Equal("dev-1", agent.GetProperty("name").GetString());
        Assert.Equal("code", Assert.Single(agent.GetProperty("capabilities").EnumerateArray()).GetString());
        var council = Assert.Single((await second.Http.GetJson("/api/councils")).GetProperty("councils").EnumerateArray());
        Assert.Equal("DEV", council.GetProperty("role").GetString());
        Assert.Equal(3, council.GetProperty("rounds").GetInt32());
        await AssertProblem(await second.Http.GetAsync("/api/agents/gone"), HttpStatusCode.NotFound, "'gone'");
    }
}
