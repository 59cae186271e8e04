using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>GET /api/models</c> and <c>GET /api/models/{name}/stats</c> on a node serving a generated tiny model.</summary>
public sealed class ModelApiSpec : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-models-").FullName;
    private InProcessNode _node = null!;
    private string _model = "";

    public async Task InitializeAsync()
    {
        _model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(_model, TinyModelSpec.Tiny);
        _node = await InProcessNode.StartAsync($$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(_model)}}, context-size = 1024, sequences = 2, threads = 1 }
            """);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonElement> GetJson(string path)
    {
        var response = await _node.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> WhenLoaded()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var model = (await GetJson("/api/models")).GetProperty("models").EnumerateArray().Single();
            if (model.GetProperty("loaded").GetBoolean() || DateTime.UtcNow > deadline) return model;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Configured_models_are_listed_with_their_settings_once_loaded()
    {
        var model = await WhenLoaded();

        Assert.Equal("tiny", model.GetProperty("name").GetString());
        Assert.Equal(_model, model.GetProperty("path").GetString());
        Assert.Equal(1024, model.GetProperty("contextSize").GetInt32());
        Assert.Equal(2, model.GetProperty("sequences").GetInt32());
        Assert.Equal(1, model.GetProperty("threads").GetInt32());
        Assert.True(model.GetProperty("loaded").GetBoolean());
        Assert.False(string.IsNullOrEmpty(model.GetProperty("nativeVariant").GetString())); // the llama.cpp build it runs on
    }

    [Fact]
    public async Task Stats_count_what_the_pool_generated()
    {
        var models = await _node.Services.GetRequiredService<IRequiredActor<ModelManager>>().GetAsync();
        var result = await models.Ask<GenerateResult>(new Generate("api-stats", "tiny", Prompt: "Hello",
            Sampling: SamplingOptions.Greedy with { IgnoreEos = true }, MaxTokens: 6, Stream: false), TimeSpan.FromSeconds(60));
        Assert.Equal(6, result.CompletionTokens);

        var stats = await GetJson("/api/models/tiny/stats");

        Assert.Equal(1, stats.GetProperty("requestsServed").GetInt64());
        Assert.Equal(0, stats.GetProperty("requestsFailed").GetInt64());
        Assert.Equal(6, stats.GetProperty("tokensGenerated").GetInt64());
        Assert.True(stats.GetProperty("tokensPerSecond").GetDouble() > 0);
        Assert.Equal(0, stats.GetProperty("queueLength").GetInt32());
        Assert.Equal(0, stats.GetProperty("activeSequences").GetInt32());
        Assert.Equal(10, stats.GetProperty("rateWindowSeconds").GetDouble());
    }

    [Fact]
    public async Task Stats_of_an_unknown_model_are_a_404_problem_naming_the_served_ones()
    {
        var response = await _node.Http.GetAsync("/api/models/nope/stats");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("'nope'", detail);
        Assert.Contains("tiny", detail);
    }
}
