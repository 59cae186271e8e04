using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.AI;
using Orchestrator.Llama.Chat;
using Orchestrator.Llama.Pool;

namespace Orchestrator.Llama.Tests;

public sealed class LlamaChatClientSpec : TestKit
{
    private readonly IChatClient _client;

    public LlamaChatClientSpec() : base("akka.loglevel = WARNING\nakka.actor.serialize-messages = on")
    {
        var models = Sys.ActorOf(ModelManager.Props([ModelPoolSpec.Settings("tiny")]), "models");
        _client = new LlamaChatClient(Sys, models, "tiny", TimeSpan.FromMinutes(2));
    }

    private static ChatOptions Options(long seed, int max = 12) => new()
    {
        Temperature = 0.9f,
        TopP = 0.95f,
        Seed = seed,
        MaxOutputTokens = max,
    };

    [Fact]
    public async Task A_chat_call_returns_text_usage_and_finish_reason_and_a_seed_repeats_it()
    {
        ChatMessage[] chat = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Say something.")];
        var first = await _client.GetResponseAsync(chat, Options(3));
        var second = await _client.GetResponseAsync(chat, Options(3));
        Assert.Equal(first.Text, second.Text);
        Assert.NotNull(first.Usage);
        Assert.True(first.Usage!.InputTokenCount > 10);
        Assert.InRange(first.Usage.OutputTokenCount!.Value, 1, 12);
        Assert.NotNull(first.FinishReason);
    }

    [Fact]
    public async Task Streaming_yields_the_same_text_as_a_plain_call()
    {
        ChatMessage[] chat = [new(ChatRole.User, "Stream please.")];
        var plain = await _client.GetResponseAsync(chat, Options(11, 16));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _client.GetStreamingResponseAsync(chat, Options(11, 16))) updates.Add(u);
        Assert.True(updates.Count > 1);
        Assert.Equal(plain.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(plain.Text, updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task A_json_schema_response_format_yields_json_of_that_schema()
    {
        var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"ok":{"type":"boolean"},"n":{"type":"integer"}},"required":["ok","n"]}
            """).RootElement;
        var options = Options(5, 64);
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer");
        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, "JSON please")], options);
        using var doc = JsonDocument.Parse(response.Text);
        Assert.Contains(doc.RootElement.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.True(doc.RootElement.GetProperty("n").TryGetInt64(out _));
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_request()
    {
        using var cts = new CancellationTokenSource();
        var options = Options(1, 100_000);
        options.AdditionalProperties = new AdditionalPropertiesDictionary { ["grammar"] = "root ::= [a-z ]+" };
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go on forever")], options, cts.Token))
                if (++seen == 3) await cts.CancelAsync();
        });
        Assert.True(seen >= 3);
    }

    [Fact]
    public async Task An_unknown_model_is_an_exception_with_its_code()
    {
        var options = Options(1);
        options.ModelId = "missing";
        var e = await Assert.ThrowsAsync<LlamaGenerationException>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options));
        Assert.Equal("unknown-model", e.Code);
    }

    [Fact]
    public void Chat_options_map_onto_the_request()
    {
        var client = (LlamaChatClient)_client;
        var options = new ChatOptions
        {
            Temperature = 0.3f,
            TopP = 0.5f,
            TopK = 7,
            MaxOutputTokens = 33,
            StopSequences = ["END"],
            Seed = 99,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            Instructions = "be brief",
        };
        var r = client.ToRequest([new ChatMessage(ChatRole.User, "q")], options, stream: true);
        Assert.Equal(0.3f, r.Sampling!.Temperature);
        Assert.Equal(0.5f, r.Sampling.TopP);
        Assert.Equal(7, r.Sampling.TopK);
        Assert.Equal(99u, r.Sampling.Seed);
        Assert.Equal(0.1f, r.Sampling.FrequencyPenalty);
        Assert.Equal(33, r.MaxTokens);
        Assert.Equal(["END"], r.Stop!);
        Assert.Equal(["system", "user"], r.Messages!.Select(m => m.Role));
        Assert.Equal("be brief", r.Messages![0].Content);
    }
}
