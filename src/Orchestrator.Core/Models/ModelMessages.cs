using System.Text.Json.Serialization;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Models;

/// <summary>The protocol of model actors: a <see cref="Generate"/> request is answered by zero or more
/// <see cref="TokenChunk"/>s and then exactly one <see cref="GenerateResult"/>, <see cref="GenerateFailed"/>
/// or <see cref="Overloaded"/>. Whatever serves a model name (a local pool, a pool on another node, a test
/// probe) speaks this protocol, so the engine never depends on the llama.cpp binding.</summary>
public static class ModelMessages
{
    /// <summary>A request for text from a model: either a raw prompt or chat messages rendered with the model's chat
    /// template. <c>RequestId</c> is chosen by the requester and carried by every reply; <c>Grammar</c> (GBNF) and
    /// <c>JsonSchema</c> (JSON text) constrain the output and exclude each other; <c>Timeout</c> is the deadline from
    /// the request's arrival at the pool; <c>Stream</c> asks for <see cref="TokenChunk"/>s before the result;
    /// <c>TraceParent</c> is the W3C trace context of the caller's span (null: none), which the serving node's span
    /// continues, wherever in the cluster that is.</summary>
    public sealed record Generate(
        string RequestId,
        string Model,
        string? Prompt = null,
        IReadOnlyList<ChatTurn>? Messages = null,
        SamplingOptions? Sampling = null,
        int MaxTokens = 256,
        IReadOnlyList<string>? Stop = null,
        string? Grammar = null,
        string? JsonSchema = null,
        TimeSpan? Timeout = null,
        bool Stream = true,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null) : IClusterMessage;

    /// <summary>One message of a chat: a role (<c>system</c>, <c>user</c>, <c>assistant</c>) and its text.</summary>
    public sealed record ChatTurn(string Role, string Content) : IClusterMessage;

    /// <summary>Sampling settings. A <paramref name="Temperature"/> of 0 or less samples greedily; a null
    /// <paramref name="Seed"/> picks a random one.</summary>
    public sealed record SamplingOptions(
        float Temperature = 0.8f,
        int TopK = 40,
        float TopP = 0.95f,
        float MinP = 0.05f,
        float RepeatPenalty = 1.0f,
        int RepeatLastN = 64,
        float FrequencyPenalty = 0f,
        float PresencePenalty = 0f,
        uint? Seed = null,
        bool IgnoreEos = false) : IClusterMessage
    {
        /// <summary>Greedy decoding: always the most likely token.</summary>
        public static SamplingOptions Greedy { get; } = new(Temperature: 0f);
    }

    /// <summary>A piece of generated text, in order (<paramref name="Index"/> counts chunks from 0).</summary>
    public sealed record TokenChunk(string RequestId, int Index, string Text) : IClusterMessage;

    /// <summary>Why generation ended.</summary>
    public enum StopReason
    {
        /// <summary>The model produced an end-of-generation token.</summary>
        EndOfText,
        /// <summary>The request's token limit was reached.</summary>
        MaxTokens,
        /// <summary>One of the request's stop strings appeared (it is not part of the text).</summary>
        StopString,
        /// <summary>The sequence filled its share of the context.</summary>
        ContextFull,
        /// <summary>The requester cancelled it (<see cref="CancelGenerate"/>).</summary>
        Cancelled,
        /// <summary>Its deadline passed.</summary>
        Deadline,
    }

    /// <summary>Time spent on a request: queued, evaluating the prompt, to the first token, and generating.</summary>
    public sealed record GenerateTimings(
        TimeSpan Queued, TimeSpan Prompt, TimeSpan FirstToken, TimeSpan Generation) : IClusterMessage;

    /// <summary>The final answer to a <see cref="Generate"/>.</summary>
    public sealed record GenerateResult(
        string RequestId,
        string Model,
        string Text,
        int PromptTokens,
        int CompletionTokens,
        StopReason StopReason,
        GenerateTimings Timings) : IClusterMessage;

    /// <summary>The request failed; <paramref name="Code"/> is one of <see cref="FailureCodes"/>.</summary>
    public sealed record GenerateFailed(string RequestId, string Model, string Code, string Reason) : IClusterMessage
    {
        /// <summary>The failure in words, for a task's or a transcript's reason.</summary>
        public string Describe() => $"model '{Model}' failed: {Reason} ({Code})";
    }

    /// <summary>The model's queue is full: try later or elsewhere.</summary>
    public sealed record Overloaded(string RequestId, string Model, int QueueLength) : IClusterMessage
    {
        /// <summary>The refusal in words, for a task's or a transcript's reason.</summary>
        public string Describe() => $"model '{Model}' is overloaded ({QueueLength} queued)";
    }

    /// <summary>Stops a running or queued request; it is answered by a result with <see cref="StopReason.Cancelled"/>.</summary>
    public sealed record CancelGenerate(string RequestId, string Model) : IClusterMessage;

    /// <summary>The codes of <see cref="GenerateFailed"/>.</summary>
    public static class FailureCodes
    {
        /// <summary>No model of that name is served here (by a router: by no reachable node of the cluster).</summary>
        public const string UnknownModel = "unknown-model";
        /// <summary>The request itself is malformed (no prompt, both grammar and schema, bad limits).</summary>
        public const string InvalidRequest = "invalid-request";
        /// <summary>The prompt does not fit the sequence's share of the context.</summary>
        public const string PromptTooLong = "prompt-too-long";
        /// <summary>The grammar or JSON schema could not be compiled.</summary>
        public const string InvalidGrammar = "invalid-grammar";
        /// <summary>The model could not be loaded or the pool failed while the request was in flight.</summary>
        public const string PoolFailed = "pool-failed";
        /// <summary>The node that ran the request left the cluster or became unreachable before it answered.</summary>
        public const string NodeLost = "node-lost";
    }

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("generate.v1", typeof(Generate)),
        new("chat-turn.v1", typeof(ChatTurn)),
        new("sampling-options.v1", typeof(SamplingOptions)),
        new("token-chunk.v1", typeof(TokenChunk)),
        new("generate-timings.v1", typeof(GenerateTimings)),
        new("generate-result.v1", typeof(GenerateResult)),
        new("generate-failed.v1", typeof(GenerateFailed)),
        new("overloaded.v1", typeof(Overloaded)),
        new("cancel-generate.v1", typeof(CancelGenerate)),
    ];
}
