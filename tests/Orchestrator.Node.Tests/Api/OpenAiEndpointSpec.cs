using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Sessions;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>The node's OpenAI-compatible endpoint (<c>/v1/models</c>, <c>/v1/chat/completions</c>) driven by OpenAI's
/// own .NET client through Microsoft.Extensions.AI.OpenAI, and by plain HTTP where a client would not send what is
/// tried, on a node serving a generated tiny model behind a token.</summary>
public sealed class OpenAiEndpointSpec : IAsyncLifetime
{
    private const string Token = "open-sesame";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-openai-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        _node = await InProcessNode.StartAsync($$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 2048, sequences = 2, threads = 1 }
            """, token: Token);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>OpenAI's chat client for <paramref name="model"/> on the node, as a <see cref="IChatClient"/>.</summary>
    private IChatClient Client(string model = "tiny", string token = Token) =>
        new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(token),
            new OpenAIClientOptions { Endpoint = new Uri(_node.Http.BaseAddress!, "/v1"), NetworkTimeout = Patience }).AsIChatClient();

    private static readonly ChatMessage[] Hello = [new(ChatRole.System, "You answer briefly."), new(ChatRole.User, "Hello")];

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"], "additionalProperties": false}
        """).RootElement;

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string json)
    {
        using var response = await _node.Http.PostAsync("/v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Models_are_listed_as_OpenAI_lists_them()
    {
        var list = await _node.Http.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", list.GetProperty("object").GetString());
        var model = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("tiny", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.True(model.GetProperty("created").GetInt64() > 0);
    }

    [Fact]
    public async Task OpenAI_s_client_gets_an_answer_shaped_by_a_JSON_schema_with_its_usage()
    {
        var reply = await Client().GetResponseAsync(Hello, new ChatOptions
        {
            MaxOutputTokens = 64,
            Temperature = 0,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "verdict"),
        });

        var json = JsonDocument.Parse(reply.Text).RootElement; // the pool's grammar made it valid JSON of the schema
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.True(json.GetProperty("ok").ValueKind is JsonValueKind.True or JsonValueKind.False, reply.Text);
        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
        Assert.True(reply.Usage?.InputTokenCount > 0, "no prompt tokens counted");
        Assert.True(reply.Usage?.OutputTokenCount > 0, "no completion tokens counted");
    }

    [Fact]
    public async Task A_streamed_answer_arrives_in_pieces_that_make_the_same_text_as_the_whole_with_the_usage_last()
    {
        var options = new ChatOptions { MaxOutputTokens = 12, Temperature = 0, Seed = 7 };
        var whole = await Client().GetResponseAsync(Hello, options);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client().GetStreamingResponseAsync(Hello, options)) updates.Add(update);

        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "the answer came in one piece");
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text))); // greedy: the same tokens either way
        Assert.Contains(updates, u => u.FinishReason is not null);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.Equal(whole.Usage?.OutputTokenCount, usage.Details.OutputTokenCount);
    }

    [Fact]
    public async Task Generated_tokens_count_in_the_node_s_metric_whole_and_streamed()
    {
        using var telemetry = new RecordedTelemetry();
        var options = new ChatOptions { MaxOutputTokens = 5, Temperature = 0, Seed = 3 };

        var whole = await Client().GetResponseAsync(Hello, options);
        await foreach (var _ in Client().GetStreamingResponseAsync(Hello, options)) { }

        // The listener is process-wide, and other specs' nodes may generate on a model named tiny meanwhile: at least
        // these two answers' tokens were counted under the model they asked for.
        var counted = telemetry.Of(OrchestratorTelemetry.Metrics.GeneratedTokens)
            .Where(m => Equals(m.Tags.GetValueOrDefault(OrchestratorTelemetry.Attributes.Model), "tiny")).Sum(m => (long)m.Value);
        var expected = 2 * whole.Usage!.OutputTokenCount!.Value;
        Assert.True(counted >= expected, $"{counted} tokens counted, at least {expected} generated");
    }

    [Fact]
    public async Task Max_tokens_ends_the_answer_with_finish_reason_length()
    {
        var (status, body) = await Post("""
            {"model": "tiny", "messages": [{"role": "user", "content": [{"type": "text", "text": "Count"}]}], "max_tokens": 3,
             "temperature": 0}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Json_mode_answers_a_JSON_object()
    {
        var (status, body) = await Post("""
            {"model": "tiny", "messages": [{"role": "user", "content": "Answer in JSON"}], "max_tokens": 200, "temperature": 0,
             "response_format": {"type": "json_object"}}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var content = Assert.Single(body.GetProperty("choices").EnumerateArray()).GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(content).RootElement.ValueKind);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_that_OpenAI_s_client_reports_with_the_served_models()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client("gpt-9").GetResponseAsync(Hello));

        Assert.Equal(404, e.Status);
        Assert.Contains("gpt-9", e.Message);
        Assert.Contains("tiny", e.Message);
    }

    [Fact]
    public async Task A_streamed_request_for_an_unknown_model_is_refused_before_the_stream_begins()
    {
        using var response = await _node.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model": "nope", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "tools": []}""", "tools")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "n": 2}""", "n")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "tool", "content": "Hi"}]}""", "messages[0].role")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"model": "tiny", "messages": []}""", "messages")]
    [InlineData("""{"messages": [{"role": "user", "content": "Hi"}]}""", "model")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "temperature": 9}""", "temperature")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "stop": ["a", "b", "c", "d", "e"]}""", "stop")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "response_format": {"type": "json_schema"}}""", "response_format.json_schema.schema")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 0}""", "max_tokens")]
    [InlineData("""{"model": "tiny", "messages": [{"role": "user", "content": "Hi"}] """, "")]
    public async Task A_request_the_node_cannot_serve_is_a_400_in_OpenAI_s_shape_naming_the_field(string json, string field)
    {
        var (status, body) = await Post(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        if (field.Length > 0) Assert.True(message.Contains($"'{field}'") || error.GetProperty("param").GetString() == field, message);
        Assert.DoesNotContain("Exception", message);
    }

    [Fact]
    public async Task Without_the_token_the_endpoint_answers_401_and_generates_nothing()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client(token: "guess").GetResponseAsync(Hello));

        Assert.Equal(401, e.Status);
        var stats = await _node.Http.GetFromJsonAsync<JsonElement>("/api/models/tiny/stats");
        Assert.Equal(0, stats.GetProperty("requestsServed").GetInt64());
    }

    [Fact]
    public async Task A_client_that_leaves_a_stream_frees_the_model_s_sequence()
    {
        var options = new ChatOptions { MaxOutputTokens = 1500, Temperature = 0, ResponseFormat = ChatResponseFormat.Json };
        using (var leave = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in Client().GetStreamingResponseAsync(Hello, options, leave.Token))
                    if (update.Text.Length > 0) await leave.CancelAsync(); // gone after the first piece
            });
        }

        await Eventually.HoldsAsync(async () =>
        {
            var stats = await _node.Http.GetFromJsonAsync<JsonElement>("/api/models/tiny/stats");
            return stats.GetProperty("activeSequences").GetInt32() == 0 && stats.GetProperty("tokensGenerated").GetInt64() < 1500;
        }, Patience, () => "the sequence of the stream the client left still generates");
    }
}
