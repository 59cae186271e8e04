using System.Text.Json.Serialization;

namespace Orchestrator.Node.Api.OpenAi;

/// <summary>The answer of a chat completion that does not stream (<c>chat.completion</c>).</summary>
public sealed record ChatCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatCompletionChoice> Choices,
    [property: JsonPropertyName("usage")] ChatCompletionUsage Usage)
{
    /// <summary>Always <c>chat.completion</c>.</summary>
    [JsonPropertyName("object")]
    public string Object => "chat.completion";
}

/// <summary>The one choice of a completion.</summary>
public sealed record ChatCompletionChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] ChatCompletionReplyMessage Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason);

/// <summary>The assistant's message.</summary>
public sealed record ChatCompletionReplyMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

/// <summary>Tokens of the prompt and of the completion.</summary>
public sealed record ChatCompletionUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens);

/// <summary>One event of a streamed completion (<c>chat.completion.chunk</c>): a piece of the text, the finish reason,
/// or (last, when asked for) the usage with no choice.</summary>
public sealed record ChatCompletionChunk(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatCompletionChunkChoice> Choices,
    [property: JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatCompletionUsage? Usage = null)
{
    /// <summary>Always <c>chat.completion.chunk</c>.</summary>
    [JsonPropertyName("object")]
    public string Object => "chat.completion.chunk";
}

/// <summary>The one choice of a chunk: what the text grew by, and the finish reason in the last.</summary>
public sealed record ChatCompletionChunkChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("delta")] ChatCompletionDelta Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);

/// <summary>A chunk's delta: the role in the first, text after.</summary>
public sealed record ChatCompletionDelta(
    [property: JsonPropertyName("role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null);

/// <summary>The answer of <c>GET /v1/models</c>.</summary>
public sealed record OpenAiModelList([property: JsonPropertyName("data")] IReadOnlyList<OpenAiModel> Data)
{
    /// <summary>Always <c>list</c>.</summary>
    [JsonPropertyName("object")]
    public string Object => "list";
}

/// <summary>A served model as OpenAI lists one.</summary>
public sealed record OpenAiModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy)
{
    /// <summary>Always <c>model</c>.</summary>
    [JsonPropertyName("object")]
    public string Object => "model";
}
