using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Microsoft.Extensions.AI;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Chat;

/// <summary><see cref="IChatClient"/> over a model actor (a <c>ModelManager</c> or a pool, local or remote), so any .NET
/// code can use a local llama.cpp model. <see cref="ChatOptions"/> map to the request: temperature, top-p, top-k,
/// max output tokens, stop sequences, seed, frequency and presence penalties, and
/// <see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/> to a grammar. Cancelling the token
/// cancels the request in the pool.</summary>
public sealed class LlamaChatClient : IChatClient
{
    private readonly IActorRefFactory _actors;
    private readonly IActorRef _models;
    private readonly string _model;
    private readonly TimeSpan? _timeout;

    /// <summary>A client for <paramref name="model"/> served by <paramref name="models"/>; reply collectors are created
    /// with <paramref name="actors"/> (the ActorSystem).</summary>
    public LlamaChatClient(IActorRefFactory actors, IActorRef models, string model, TimeSpan? timeout = null)
    {
        _actors = actors;
        _models = models;
        _model = model;
        _timeout = timeout;
        Metadata = new ChatClientMetadata("orchestrator-llama", null, model);
    }

    /// <summary>Provider name and model.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Stream(messages, options, stream: false, cancellationToken).ConfigureAwait(false))
            updates.Add(update);
        return updates.ToChatResponse();
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Stream(messages, options, stream: true, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<ChatMessage> messages, ChatOptions? options,
        bool stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = ToRequest(messages, options, stream);
        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var collector = _actors.ActorOf(ReplyCollector.Props(channel.Writer));
        _models.Tell(request, collector);
        await using var registration = cancellationToken.Register(
            () => _models.Tell(new CancelGenerate(request.RequestId, request.Model))).ConfigureAwait(false);
        var createdAt = DateTimeOffset.UtcNow;
        await foreach (var message in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            switch (message)
            {
                case TokenChunk chunk:
                    yield return new ChatResponseUpdate(ChatRole.Assistant, chunk.Text)
                    {
                        ResponseId = request.RequestId,
                        MessageId = request.RequestId,
                        ModelId = request.Model,
                        CreatedAt = createdAt,
                    };
                    break;
                case GenerateResult result:
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, stream ? [] : [new TextContent(result.Text)])
                    {
                        ResponseId = request.RequestId,
                        MessageId = request.RequestId,
                        ModelId = result.Model,
                        CreatedAt = createdAt,
                        FinishReason = result.StopReason is StopReason.MaxTokens or StopReason.ContextFull
                            ? ChatFinishReason.Length
                            : ChatFinishReason.Stop,
                        Contents = stream
                            ? [new UsageContent(Usage(result))]
                            : [new TextContent(result.Text), new UsageContent(Usage(result))],
                    };
                    yield break;
                case GenerateFailed failed:
                    throw new LlamaGenerationException(failed.Model, failed.Code, failed.Reason);
                case Overloaded overloaded:
                    throw new LlamaGenerationException(overloaded.Model, "overloaded",
                        $"the model's queue is full ({overloaded.QueueLength} requests); retry later.");
                case Status.Failure failure:
                    throw new LlamaGenerationException(_model, FailureCodes.PoolFailed, failure.Cause.Message);
            }
        }
        throw new LlamaGenerationException(_model, FailureCodes.PoolFailed, "the reply stream ended without a result.");
    }

    private static UsageDetails Usage(GenerateResult r) => new()
    {
        InputTokenCount = r.PromptTokens,
        OutputTokenCount = r.CompletionTokens,
        TotalTokenCount = r.PromptTokens + r.CompletionTokens,
    };

    /// <summary>The <see cref="Generate"/> a chat call becomes.</summary>
    internal Generate ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var turns = new List<ChatTurn>();
        if (options?.Instructions is { Length: > 0 } instructions) turns.Add(new ChatTurn("system", instructions));
        turns.AddRange(messages.Select(m => new ChatTurn(m.Role.Value, m.Text)));
        var defaults = new SamplingOptions();
        var sampling = defaults with
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            TopK = options?.TopK ?? defaults.TopK,
            FrequencyPenalty = options?.FrequencyPenalty ?? 0f,
            PresencePenalty = options?.PresencePenalty ?? 0f,
            Seed = options?.Seed is { } seed ? unchecked((uint)seed) : null,
        };
        string? schema = null;
        string? grammar = null;
        switch (options?.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } s }:
                schema = s.GetRawText();
                break;
            case ChatResponseFormatJson:
                schema = "{}";
                break;
        }
        if (options?.AdditionalProperties?.TryGetValue("grammar", out var g) == true && g is string gbnf) grammar = gbnf;
        return new Generate(
            RequestId: Guid.NewGuid().ToString("N"),
            Model: options?.ModelId ?? _model,
            Messages: turns,
            Sampling: sampling,
            MaxTokens: options?.MaxOutputTokens ?? 512,
            Stop: options?.StopSequences?.ToList(),
            Grammar: grammar,
            JsonSchema: grammar is null ? schema : null,
            Timeout: _timeout,
            Stream: stream);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
        // The client owns nothing: the pool belongs to the node.
    }
}
