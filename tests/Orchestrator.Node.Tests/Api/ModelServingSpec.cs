using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A model that does not serve is visible everywhere: <c>GET /api/models</c> gives its state and the load
/// error, <c>/health/ready</c> is 503 with the reason while no configured model serves, and a session whose role only
/// that model serves is refused at its start naming the role and the model, with nothing written. Once the file is a
/// good model, its pool's next try loads it and the node is ready again.</summary>
public sealed class ModelServingSpec : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-serving-").FullName;
    private string Model => Path.Combine(_dir, "writer.gguf");

    public async Task InitializeAsync()
    {
        // A model file cut short: the project's writer's tiny model, truncated past its header.
        TinyModel.Write(Model, TinyModelSpec.Tiny);
        await using (var file = File.Open(Model, FileMode.Open)) file.SetLength(file.Length / 2);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "draft.conf"), """
            workflow {
              name = draft
              nodes { draft { role = author, prompt = "Say hello." } }
            }
            """);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private Task<InProcessNode> Node(string models) => InProcessNode.StartAsync($$"""
        orchestrator.llm.hosting = in-process
        orchestrator.llm.probe.new-models = off
        {{models}}
        orchestrator.sessions.templates-path = {{HoconText.Quote(Path.Combine(_dir, "workflows"))}}
        orchestrator.sessions.models-by-role { author = writer }
        """);

    private static async Task<JsonElement> Listed(InProcessNode node, string name) =>
        (await node.Http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("models").EnumerateArray()
        .Single(m => m.GetProperty("name").GetString() == name);

    private static async Task<(HttpStatusCode Status, string Detail)> Ready(InProcessNode node)
    {
        var response = await node.Http.GetAsync("/health/ready");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!);
    }

    private static Task<HttpResponseMessage> Start(InProcessNode node, string id) =>
        node.Http.PostAsJsonAsync("/api/sessions", new { template = "draft", id, inputs = new Dictionary<string, string>() });

    [Fact]
    public async Task A_model_that_fails_to_load_is_listed_with_the_reason_makes_the_node_not_ready_and_refuses_its_role_until_it_loads()
    {
        await using var node = await Node($"orchestrator.llm.models.writer {{ path = {HoconText.Quote(Model)}, context-size = 512, sequences = 1, threads = 1 }}");

        JsonElement listed = default;
        await Eventually.HoldsAsync(async () => (listed = await Listed(node, "writer")).GetProperty("state").GetString() == "failed",
            Patience, () => $"the model to be failed: {listed}");
        Assert.False(string.IsNullOrWhiteSpace(listed.GetProperty("reason").GetString()), listed.ToString());
        Assert.False(listed.GetProperty("loaded").GetBoolean());

        var (status, detail) = await Ready(node);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("no configured model serves", detail);
        Assert.Contains("model 'writer' failed", detail);

        var refused = await Start(node, "unserved-1");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("role 'author'", problem);
        Assert.Contains("model 'writer' failed", problem);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync("/api/sessions/unserved-1")).StatusCode); // nothing written

        // The file becomes a good model: the pool's next try (after its back-off) loads it.
        var good = Path.Combine(_dir, "good.gguf");
        TinyModel.Write(good, TinyModelSpec.Tiny);
        File.Move(good, Model, overwrite: true);
        await Eventually.HoldsAsync(async () => (await Ready(node)).Status == HttpStatusCode.OK, Patience,
            () => $"the node to be ready again: {Ready(node).Result.Detail}");
        Assert.Equal("serving", (await Listed(node, "writer")).GetProperty("state").GetString());
        var started = await Start(node, "served-1");
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_node_with_one_serving_model_is_ready_and_names_the_one_that_does_not_serve()
    {
        var good = Path.Combine(_dir, "other.gguf");
        TinyModel.Write(good, TinyModelSpec.Tiny);
        await using var node = await Node($$"""
            orchestrator.llm.models.writer { path = {{HoconText.Quote(Model)}}, context-size = 512, sequences = 1, threads = 1 }
            orchestrator.llm.models.other { path = {{HoconText.Quote(good)}}, context-size = 512, sequences = 1, threads = 1 }
            """);

        (HttpStatusCode Status, string Detail) ready = default;
        await Eventually.HoldsAsync(async () => (ready = await Ready(node)).Status == HttpStatusCode.OK && ready.Detail.Contains("failed"),
            Patience, () => $"the node to be ready, degraded: {ready}");
        Assert.Contains("degraded: model 'writer' failed", ready.Detail);

        var refused = await Start(node, "unserved-2");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role 'author'", await refused.Content.ReadAsStringAsync());
    }
}
