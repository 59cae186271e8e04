using System.Net;
using System.Net.Http.Json;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A node whose registry holds at most 2 agents (<c>orchestrator.agents.max-agents</c>): a third registration
/// is refused as a conflict naming the setting, and fits once an agent is removed.</summary>
public sealed class AgentLimitApiSpec : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-agents-limit-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await RegistryNode.StartAsync(_dir, "orchestrator.agents.max-agents = 2");

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<HttpResponseMessage> Register(string name) => _node.Http.PostAsJsonAsync("/api/agents", new { name, role = "DEV", model = "tiny" });

    [Fact]
    public async Task A_registration_past_max_agents_is_a_conflict_until_an_agent_is_removed()
    {
        Assert.Equal(HttpStatusCode.Created, (await Register("dev-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Register("dev-2")).StatusCode);

        await AssertProblem(await Register("dev-3"), HttpStatusCode.Conflict, "holds 2 agents", "orchestrator.agents.max-agents");
        Assert.Equal(["dev-1", "dev-2"], (await _node.Http.GetJson("/api/agents")).GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        Assert.True((await _node.Http.DeleteAsync("/api/agents/dev-1")).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Register("dev-3")).StatusCode);
    }
}
