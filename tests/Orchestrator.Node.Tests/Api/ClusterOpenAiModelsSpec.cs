using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Persistence;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>Two whole nodes in the test process, one cluster over one PostgreSQL journal, of which only the first serves
/// the generated tiny model <c>tiny</c>: the second node's <c>GET /v1/models</c> lists what its
/// <c>POST /v1/chat/completions</c> serves through its model router, the first node's model included.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterOpenAiModelsSpec(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-openai-cluster-").FullName;
    private InProcessNode _first = null!;
    private InProcessNode _second = null!;

    private string Hocon(string extra = "") => $"""
        {postgres.DatabaseFor(GetType()).PostgreSqlHocon}
        orchestrator.llm.hosting = in-process
        {extra}
        """;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        _first = await InProcessNode.StartAsync(Hocon(
            $"orchestrator.llm.models.tiny {{ path = {HoconText.Quote(model)}, context-size = 1024, sequences = 2, threads = 1 }}"));
        _second = await InProcessNode.JoiningAsync(_first, Hocon());
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<List<string?>> ListedAsync(InProcessNode node) =>
        (await node.Http.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("data").EnumerateArray()
        .Select(m => m.GetProperty("id").GetString()).ToList();

    [Fact]
    public async Task A_node_lists_the_model_only_another_node_serves_and_answers_a_completion_for_it()
    {
        // The second node learns what the first serves when it sees it Up (its model roles).
        await Eventually.HoldsAsync(async () => (await ListedAsync(_second)).Contains("tiny"), Deadline,
            () => $"the second node lists {string.Join(", ", ListedAsync(_second).GetAwaiter().GetResult())}");

        Assert.Equal(["tiny"], await ListedAsync(_second)); // once, and nothing of its own
        Assert.Equal(["tiny"], await ListedAsync(_first));
        using var response = await _second.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model": "tiny", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 3}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        Assert.Equal("tiny", JsonDocument.Parse(body).RootElement.GetProperty("model").GetString());
    }
}
