using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Lessons;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Lessons;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Persistence;
using Orchestrator.Testing;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonReplies;
using static Orchestrator.Engine.Decisions.DispatchMessages;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary>An agent registry, a council directory and a lesson store larger than a remoting frame, on the node that runs
/// their singletons and on the one that does not: both list every agent, council and lesson, and the other node's decision engine gets
/// the whole registry. Two whole nodes in the test process, one cluster over one PostgreSQL journal, with remoting's frame
/// at its smallest (32,000 bytes); a reply over the frame is dropped by remoting, so a list would time out on the second
/// node and its decision engine would never know an agent.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterRegistriesSpec(PostgresFixture postgres) : IAsyncLifetime
{
    private const int Agents = 150;
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-agent-pages-").FullName;
    private InProcessNode _first = null!;
    private InProcessNode _second = null!;

    private string Hocon(string model) => $"""
        {postgres.DatabaseFor(GetType()).PostgreSqlHocon}
        orchestrator.llm.models.tiny {"{"} path = {HoconText.Quote(model)}, context-size = 1024, sequences = 2, threads = 1 {"}"}
        orchestrator.sessions.models-by-role {"{"} DEV = tiny {"}"}
        akka.remote.dot-netty.tcp.maximum-frame-size = 32000b
        """;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        _first = await InProcessNode.StartAsync(Hocon(model));
        _second = await InProcessNode.JoiningAsync(_first, Hocon(model));
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The list at <paramref name="path"/> as the first node (the singletons') and the second answer it, each
    /// checked to be a success and larger than a frame.</summary>
    private async Task<List<JsonElement>> ListedOnBothNodesAsync(string path)
    {
        var lists = new List<JsonElement>();
        foreach (var node in new[] { _first, _second })
        {
            var response = await node.Http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
            Assert.True(body.Length > 32_000, $"{path}: the list is {body.Length} characters");
            lists.Add(JsonDocument.Parse(body).RootElement);
        }
        return lists;
    }

    [Fact]
    public async Task Both_nodes_list_every_council_of_a_directory_larger_than_a_frame()
    {
        var roles = Enumerable.Range(0, 40).Select(i => $"R{i:00}").ToList();
        foreach (var role in roles)
        {
            var created = await _first.Http.PostAsJsonAsync("/api/councils", new
            {
                role,
                members = new[] { new { name = "a", role = "DEV" }, new { name = "b", role = "DEV" } },
                rubric = $"Judge the answer for {role}. " + new string('x', 1_000),
            });
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{role}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        foreach (var list in await ListedOnBothNodesAsync("/api/councils"))
            Assert.Equal(roles, list.GetProperty("councils").EnumerateArray().Select(c => c.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Both_nodes_list_every_lesson_of_a_store_larger_than_a_frame()
    {
        var store = await _first.Services.GetRequiredService<IRequiredActor<LessonStoreProxy>>().GetAsync();
        for (var i = 0; i < 40; i++)
            Assert.IsType<LessonAccepted>(await store.Ask<object>(new RecordLesson("sql", $"query {i} timed out: " + new string('w', 500),
                $"index {i} added: " + new string('f', 500), Lesson.FromFailure, 1, "s-1", $"t-{i}", DateTimeOffset.UtcNow), TimeSpan.FromSeconds(10)));

        foreach (var list in await ListedOnBothNodesAsync("/api/lessons?limit=1000"))
        {
            Assert.Equal(40, list.GetProperty("total").GetInt32());
            Assert.Equal(Enumerable.Range(1, 40).Reverse().Select(i => $"lesson-{i}"), list.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("id").GetString()));
        }
    }

    [Fact]
    public async Task Both_nodes_list_every_agent_and_the_other_nodes_decision_engine_knows_them_all()
    {
        var names = Enumerable.Range(0, Agents).Select(i => $"dev-{i:000}").ToList();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var node = i % 2 == 0 ? _first : _second;
            var created = await node.Http.PostAsJsonAsync("/api/agents", new
            {
                name,
                role = "DEV",
                model = "tiny",
                capabilities = new[] { "code", "review", "design", "testing" },
                specialization = new Dictionary<string, double> { ["draft"] = 0.5, ["edit"] = 0.7 },
            });
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{name}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        foreach (var list in await ListedOnBothNodesAsync("/api/agents"))
            Assert.Equal(names, list.GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        foreach (var node in new[] { _first, _second })
            Assert.Empty((await node.Http.GetJson("/api/agents/analytics")).GetProperty("entries").EnumerateArray());

        foreach (var node in new[] { _first, _second })
        {
            var decisions = await node.Services.GetRequiredService<IRequiredActor<DecisionEngine>>().GetAsync();
            await Eventually.HoldsAsync(async () => (await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, TimeSpan.FromSeconds(10))).KnownAgents == Agents,
                TimeSpan.FromSeconds(30), () => "the decision engine to know every agent");
        }
    }
}
