using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A council whose members name a role that no model serves by default (no <c>models-by-role</c> entry, no model
/// of its name) runs once an agent of that role is registered: the role is one the registry knows (a council member's
/// role in a template), a session's start asks the cluster as it is then (refused while nothing serves the role, started
/// once the agent does), the members run as that agent, and the council directory takes a council of that role's members
/// from then on too.</summary>
public sealed class CouncilAgentRolesSpec : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-council-roles-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var templates = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(templates, "poets.conf"), """
            workflow {
              name = poets
              nodes {
                verse {
                  role = writer
                  prompt = "Write one line about the sea."
                  council {
                    members = [ { name = poet-a, role = POET }, { name = poet-b, role = POET } ]
                    rounds = 1
                    consensus = none
                  }
                }
              }
            }
            """);
        _node = await InProcessNode.StartAsync($$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 1024, sequences = 2, threads = 1 }
            orchestrator.sessions.models-by-role { writer = tiny }
            orchestrator.sessions.templates-path = {{HoconText.Quote(templates)}}
            orchestrator.sessions.max-tokens = 24
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(_dir, "node.db"))}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<HttpResponseMessage> Start(string id) =>
        _node.Http.PostAsJsonAsync("/api/sessions", new { template = "poets", id, inputs = new Dictionary<string, string>() });

    [Fact]
    public async Task A_council_role_served_only_by_a_registered_agent_starts_and_runs_as_that_agent()
    {
        var refused = await Start("before");
        Assert.False(refused.IsSuccessStatusCode);
        Assert.Contains("'POET'", await refused.Content.ReadAsStringAsync());
        var council = new { role = "VERSE", members = new[] { new { role = "POET" }, new { role = "POET" } } };
        var refusedCouncil = await _node.Http.PostAsJsonAsync("/api/councils", council);
        Assert.Equal(HttpStatusCode.BadRequest, refusedCouncil.StatusCode);

        var registered = await _node.Http.PostAsJsonAsync("/api/agents",
            new { name = "poet-1", role = "POET", model = "tiny", capabilities = Array.Empty<string>(), maxConcurrentTasks = 2 });
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());

        // The node learns of the agent from the registry (a subscription): sessions start from then on.
        var last = "";
        await Eventually.HoldsAsync(async () =>
        {
            var started = await Start("after");
            last = await started.Content.ReadAsStringAsync();
            return started.IsSuccessStatusCode;
        }, Patience, () => $"the start is still refused: {last}");

        var created = await _node.Http.PostAsJsonAsync("/api/councils", council);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        JsonElement detail = default;
        await Eventually.HoldsAsync(async () =>
        {
            detail = await _node.Http.GetJson("/api/sessions/after");
            return detail.GetProperty("lifecycle").GetString() is "completed" or "failed";
        }, Patience, () => $"the session to finish: {detail}");
        await Eventually.HoldsAsync(async () =>
            (await _node.Http.GetJson("/api/agents/poet-1")).GetProperty("performance").GetProperty("samples").GetInt64() > 0,
            Patience, () => "poet-1 to have run the council's members");
    }
}
