using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Engine.Agents;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>/api/agents</c> on a node serving the model <c>tiny</c>: registration, listing with learned performance
/// and workload, one agent with its performance per kind, update, removal, analytics, and every refusal as a problem
/// that leaves the registry as it was.</summary>
public sealed class AgentApiSpec : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-agents-api-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await RegistryNode.StartAsync(_dir);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<HttpResponseMessage> Register(object body) => _node.Http.PostAsJsonAsync("/api/agents", body);

    private Task<IActorRef> Registry() => _node.Services.GetRequiredService<IRequiredActor<AgentRegistryProxy>>().GetAsync();

    private static object Dev(string name = "dev-1") => new
    {
        name,
        role = "DEV",
        model = "tiny",
        capabilities = new[] { "Code", "review" },
        maxConcurrentTasks = 2,
        specialization = new Dictionary<string, double> { ["code"] = 0.8 },
    };

    [Fact]
    public async Task A_registered_agent_is_listed_and_shown_with_its_profile()
    {
        var created = await Register(Dev());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/agents/dev-1", created.Headers.Location?.OriginalString);

        var agent = Assert.Single((await _node.Http.GetJson("/api/agents")).GetProperty("agents").EnumerateArray());
        Assert.Equal("dev-1", agent.GetProperty("name").GetString());
        Assert.Equal("DEV", agent.GetProperty("role").GetString());
        Assert.Equal("tiny", agent.GetProperty("model").GetString());
        Assert.Equal(["code", "review"], agent.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, agent.GetProperty("maxConcurrentTasks").GetInt32());
        Assert.Equal(0.8, agent.GetProperty("specialization").GetProperty("code").GetDouble());
        Assert.Equal(0, agent.GetProperty("inFlight").GetInt32());
        Assert.Equal(2, agent.GetProperty("freeSlots").GetInt32());
        Assert.Equal(0, agent.GetProperty("performance").GetProperty("samples").GetInt64());

        var shown = await _node.Http.GetJson("/api/agents/dev-1");
        Assert.Equal("dev-1", shown.GetProperty("name").GetString());
        Assert.Equal(0, shown.GetProperty("kinds").GetArrayLength());
    }

    [Fact]
    public async Task Listing_shows_learned_performance_and_workload_and_analytics_break_it_down_by_kind()
    {
        (await Register(Dev())).EnsureSuccessStatusCode();
        var registry = await Registry();
        var at = DateTimeOffset.UtcNow;
        registry.Tell(new RecordTaskOutcome("dev-1", "code", "t-1", true, TimeSpan.FromSeconds(2), 100, at));
        registry.Tell(new RecordQuality("dev-1", "code", 0.9, at));
        Assert.IsType<AgentSelected>(await registry.Ask<object>(new AssignTask("t-2", "dev-1", "code"), TimeSpan.FromSeconds(10)));

        var agent = Assert.Single((await _node.Http.GetJson("/api/agents")).GetProperty("agents").EnumerateArray());
        Assert.Equal(1, agent.GetProperty("inFlight").GetInt32());
        Assert.Equal(1, agent.GetProperty("freeSlots").GetInt32());
        var overall = agent.GetProperty("performance");
        Assert.Equal(1, overall.GetProperty("samples").GetInt64());
        Assert.Equal(1.0, overall.GetProperty("successRate").GetDouble());
        Assert.Equal(2000, overall.GetProperty("latencyMs").GetDouble());
        Assert.Equal(50, overall.GetProperty("tokensPerSecond").GetDouble());
        Assert.Equal(0.9, overall.GetProperty("quality").GetDouble(), 6);

        var kinds = (await _node.Http.GetJson("/api/agents/dev-1")).GetProperty("kinds").EnumerateArray()
            .Select(k => k.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["*", "code"], kinds);

        var entries = (await _node.Http.GetJson("/api/agents/analytics?kind=code")).GetProperty("entries").EnumerateArray().ToList();
        var entry = Assert.Single(entries);
        Assert.Equal("dev-1", entry.GetProperty("agent").GetString());
        Assert.Equal(1, entry.GetProperty("performance").GetProperty("successes").GetInt64());
        Assert.Equal(2, (await _node.Http.GetJson("/api/agents/analytics")).GetProperty("entries").GetArrayLength());
        Assert.Equal(0, (await _node.Http.GetJson("/api/agents/analytics?agent=nobody")).GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task An_agent_is_updated_field_by_field_and_removed()
    {
        (await Register(Dev())).EnsureSuccessStatusCode();

        var updated = await _node.Http.PutAsJsonAsync("/api/agents/dev-1", new { role = "QA", maxConcurrentTasks = 5 });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var agent = await _node.Http.GetJson("/api/agents/dev-1");
        Assert.Equal("QA", agent.GetProperty("role").GetString());
        Assert.Equal(5, agent.GetProperty("maxConcurrentTasks").GetInt32());
        Assert.Equal("tiny", agent.GetProperty("model").GetString());
        Assert.Equal(2, agent.GetProperty("capabilities").GetArrayLength());

        var deleted = await _node.Http.DeleteAsync("/api/agents/dev-1");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("dev-1", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetString());
        Assert.Equal(0, (await _node.Http.GetJson("/api/agents")).GetProperty("agents").GetArrayLength());
        await AssertProblem(await _node.Http.GetAsync("/api/agents/dev-1"), HttpStatusCode.NotFound, "'dev-1'");
    }

    [Fact]
    public async Task Registrations_are_refused_with_the_reason_and_change_nothing()
    {
        await AssertProblem(await Register(new { name = "dev-x", role = "PAINTER", model = "tiny" }), HttpStatusCode.BadRequest,
            "nknown role 'PAINTER'", "ARCHITECT, DEV, QA");
        await AssertProblem(await Register(new { name = "dev-x", role = "DEV", model = "gpt-9" }), HttpStatusCode.BadRequest,
            "odel 'gpt-9'", "not configured", "tiny");
        await AssertProblem(await Register(new { name = "dev-x", role = "DEV", model = "tiny", maxConcurrentTasks = 0 }),
            HttpStatusCode.BadRequest, "1 to 10000");
        await AssertProblem(await Register(new { role = "DEV" }), HttpStatusCode.BadRequest, "name, model");
        await AssertProblem(await _node.Http.PostAsync("/api/agents", new StringContent("{\"name\": ", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblem(await Register(new { name = "dev-x", role = "DEV", model = "tiny", maxConcurrentTasks = "many" }),
            HttpStatusCode.BadRequest, "'maxConcurrentTasks' must be a whole number");
        Assert.Equal(0, (await _node.Http.GetJson("/api/agents")).GetProperty("agents").GetArrayLength());

        (await Register(Dev())).EnsureSuccessStatusCode();
        await AssertProblem(await Register(Dev()), HttpStatusCode.Conflict, "'dev-1' is already registered");
        Assert.Single((await _node.Http.GetJson("/api/agents")).GetProperty("agents").EnumerateArray());
    }

    [Fact]
    public async Task Nulls_in_lists_unknown_fields_and_numbers_out_of_range_are_400s_naming_each_field()
    {
        await AssertProblem(await Register(new { name = "dev-x", role = "DEV", model = "tiny", capabilities = new[] { "code", null } }),
            HttpStatusCode.BadRequest, "'capabilities[1]' must not be null");
        await AssertProblem(await Register(new { name = "dev-x", role = "DEV", model = "tiny", maxConcurrentTasks = 1e20 }),
            HttpStatusCode.BadRequest, "'maxConcurrentTasks' must be a whole number");
        await AssertProblem(await Register(new { name = "dev-x", role = "DEV", modle = "tiny", specialization = new { code = (double?)null } }),
            HttpStatusCode.BadRequest, "unknown field 'modle'", "'specialization.code' must not be null");
        await AssertProblem(await Register(new { name = "dev x!", role = "DEV", model = "tiny" }), HttpStatusCode.BadRequest,
            "gent name 'dev x!' must be");
        Assert.Equal(0, (await _node.Http.GetJson("/api/agents")).GetProperty("agents").GetArrayLength());

        (await Register(Dev())).EnsureSuccessStatusCode();
        await AssertProblem(await _node.Http.PutAsJsonAsync("/api/agents/dev-1", new { capabilities = new string?[] { null } }),
            HttpStatusCode.BadRequest, "'capabilities[0]' must not be null");
        Assert.Equal(2, (await _node.Http.GetJson("/api/agents/dev-1")).GetProperty("capabilities").GetArrayLength());
    }

    [Fact]
    public async Task Updates_and_removals_of_unknown_agents_are_404_and_bad_updates_400_leaving_the_agent_as_it_was()
    {
        await AssertProblem(await _node.Http.PutAsJsonAsync("/api/agents/ghost", new { role = "QA" }), HttpStatusCode.NotFound, "'ghost'");
        await AssertProblem(await _node.Http.DeleteAsync("/api/agents/ghost"), HttpStatusCode.NotFound, "'ghost'");

        (await Register(Dev())).EnsureSuccessStatusCode();
        await AssertProblem(await _node.Http.PutAsJsonAsync("/api/agents/dev-1", new { model = "gpt-9" }), HttpStatusCode.BadRequest,
            "odel 'gpt-9'");
        await AssertProblem(await _node.Http.PutAsync("/api/agents/dev-1", new StringContent("[1,", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "not valid JSON");
        Assert.Equal("tiny", (await _node.Http.GetJson("/api/agents/dev-1")).GetProperty("model").GetString());
    }
}
