using System.Text.Json;
using Microsoft.Extensions.AI;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Endpoints;

/// <summary>A <see cref="Generate"/> as a chat call to an <see cref="IChatClient"/>: the reverse of what
/// <c>LlamaChatClient</c> does. A raw prompt is one user message; sampling maps to temperature, top-p, top-k,
/// penalties and seed; a JSON schema to the endpoint's structured output. A GBNF grammar has no equivalent in OpenAI's
/// API: it is dropped, and the reply is held to its form by whoever reads it (the task's reply reader).</summary>
public static class GenerateAsChat
{
    /// <summary>The messages of <paramref name="request"/>.</summary>
    public static IReadOnlyList<ChatMessage> Messages(Generate request) =>
        request.Messages is { Count: > 0 } turns
            ? turns.Select(t => new ChatMessage(new ChatRole(t.Role), t.Content)).ToList()
            : [new ChatMessage(ChatRole.User, request.Prompt ?? "")];

    /// <summary>The options of <paramref name="request"/>, asking <paramref name="remoteModel"/>.</summary>
    public static ChatOptions Options(Generate request, string remoteModel)
    {
        var sampling = request.Sampling ?? new SamplingOptions();
        return new ChatOptions
        {
            ModelId = remoteModel,
            MaxOutputTokens = request.MaxTokens,
            Temperature = Math.Max(0f, sampling.Temperature),
            TopP = sampling.Temperature <= 0 ? null : sampling.TopP,
            TopK = sampling.Temperature <= 0 ? null : sampling.TopK,
            FrequencyPenalty = sampling.FrequencyPenalty == 0 ? null : sampling.FrequencyPenalty,
            PresencePenalty = sampling.PresencePenalty == 0 ? null : sampling.PresencePenalty,
            Seed = sampling.Seed,
            StopSequences = request.Stop is { Count: > 0 } stop ? stop.ToList() : null,
            ResponseFormat = request.JsonSchema is { } schema ? Format(schema) : null,
        };
    }

    private static ChatResponseFormat Format(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.EnumerateObject().Any()
            ? ChatResponseFormat.ForJsonSchema(document.RootElement.Clone(), "reply")
            : ChatResponseFormat.Json;
    }
}
