using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Node.Api.OpenAi;

/// <summary>The body of <c>POST /v1/chat/completions</c> as OpenAI defines it, the fields this node serves: any other
/// field is refused by name (no tools, no log-probabilities, one choice).</summary>
public sealed record ChatCompletionRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatCompletionMessage>? Messages,
    [property: JsonPropertyName("stream")] bool? Stream = null,
    [property: JsonPropertyName("stream_options")] ChatCompletionStreamOptions? StreamOptions = null,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens = null,
    [property: JsonPropertyName("max_completion_tokens")] int? MaxCompletionTokens = null,
    [property: JsonPropertyName("temperature")] double? Temperature = null,
    [property: JsonPropertyName("top_p")] double? TopP = null,
    [property: JsonPropertyName("frequency_penalty")] double? FrequencyPenalty = null,
    [property: JsonPropertyName("presence_penalty")] double? PresencePenalty = null,
    [property: JsonPropertyName("seed")] long? Seed = null,
    [property: JsonPropertyName("stop")] JsonElement? Stop = null,
    [property: JsonPropertyName("response_format")] ChatCompletionResponseFormat? ResponseFormat = null,
    [property: JsonPropertyName("n")] int? N = null,
    [property: JsonPropertyName("user")] string? User = null);

/// <summary>One message: its role and its content, a string or a list of text parts.</summary>
public sealed record ChatCompletionMessage(
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("content")] JsonElement? Content,
    [property: JsonPropertyName("name")] string? Name = null);

/// <summary><c>stream_options</c>: whether a last chunk carries the usage.</summary>
public sealed record ChatCompletionStreamOptions([property: JsonPropertyName("include_usage")] bool? IncludeUsage);

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c> or <c>json_schema</c> with its schema.</summary>
public sealed record ChatCompletionResponseFormat(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("json_schema")] ChatCompletionJsonSchema? JsonSchema = null);

/// <summary>The schema of a <c>json_schema</c> response format.</summary>
public sealed record ChatCompletionJsonSchema(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("schema")] JsonElement? Schema = null,
    [property: JsonPropertyName("description")] string? Description = null,
    [property: JsonPropertyName("strict")] bool? Strict = null);
