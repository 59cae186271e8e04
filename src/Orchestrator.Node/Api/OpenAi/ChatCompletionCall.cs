using System.Text.Json;
using Microsoft.Extensions.AI;
using Orchestrator.Core.Validation;
using Orchestrator.Llama.Chat;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Node.Api.OpenAi;

/// <summary>A chat completion request read into what the node's <see cref="LlamaChatClient"/> takes: the messages and
/// options (temperature, top-p, penalties, seed, stop strings, the most tokens, a JSON schema the pool turns into its
/// grammar), or the error that names the field at fault. Pure: the endpoint runs it.</summary>
public sealed record ChatCompletionCall(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage)
{
    /// <summary>The most stop strings a request may give, as OpenAI allows.</summary>
    public const int MostStops = 4;

    /// <summary>The most tokens a request may ask for.</summary>
    public const int MostTokens = 1 << 20;

    /// <summary>Roles taken (a <c>developer</c> message is a system one, as OpenAI's newer models name it).</summary>
    private static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal) { "system", "developer", "user", "assistant" };

    /// <summary><c>json_object</c> as a schema: any JSON object.</summary>
    private static readonly ChatResponseFormat JsonObject =
        ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type": "object"}""").RootElement.Clone(), "json_object");

    /// <summary>Reads <paramref name="request"/>; either the call or the error is set.</summary>
    public static (ChatCompletionCall? Call, OpenAiError? Error) Read(ChatCompletionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model)) return Fail("'model' is required.", "model");
        if (request.Messages is not { Count: > 0 } given) return Fail("'messages' must hold at least one message.", "messages");
        if (request.N is { } n && n != 1) return Fail($"'n' must be 1 here (one choice per request), not {n}.", "n");

        var messages = new List<ChatMessage>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var (message, error) = ReadMessage(given[i], $"messages[{i}]");
            if (error is not null) return (null, error);
            messages.Add(message!);
        }

        if (request.MaxTokens is not null && request.MaxCompletionTokens is not null)
            return Fail("Give 'max_completion_tokens' or 'max_tokens', not both.", "max_tokens");
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        var maxParam = request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens";
        if (maxTokens is < 1 or > MostTokens) return Fail($"'{maxParam}' must be from 1 to {MostTokens}, not {maxTokens}.", maxParam);
        if (OutOfRange(request.Temperature, 0, 2, "temperature") is { } t) return (null, t);
        if (OutOfRange(request.TopP, 0, 1, "top_p") is { } p) return (null, p);
        if (OutOfRange(request.FrequencyPenalty, -2, 2, "frequency_penalty") is { } f) return (null, f);
        if (OutOfRange(request.PresencePenalty, -2, 2, "presence_penalty") is { } pp) return (null, pp);
        var (stops, stopError) = ReadStops(request.Stop);
        if (stopError is not null) return (null, stopError);
        var (format, formatError) = ReadFormat(request.ResponseFormat);
        if (formatError is not null) return (null, formatError);

        var options = new ChatOptions
        {
            ModelId = request.Model,
            MaxOutputTokens = maxTokens,
            Temperature = (float?)request.Temperature,
            TopP = (float?)request.TopP,
            FrequencyPenalty = (float?)request.FrequencyPenalty,
            PresencePenalty = (float?)request.PresencePenalty,
            Seed = request.Seed,
            StopSequences = stops,
            ResponseFormat = format,
        };
        var stream = request.Stream == true;
        if (!stream && request.StreamOptions is not null)
            return Fail("'stream_options' applies only with 'stream': true.", "stream_options");
        return (new ChatCompletionCall(request.Model, messages, options, stream, request.StreamOptions?.IncludeUsage == true), null);
    }

    /// <summary>How a model's refusal or failure is answered: an unknown model 404, a prompt beyond the context or a
    /// schema that cannot be compiled 400, a full queue 429, a failed pool 503.</summary>
    public static OpenAiError ErrorOf(LlamaGenerationException e) => e.Code switch
    {
        FailureCodes.UnknownModel => new OpenAiError(StatusCodes.Status404NotFound, Reason(e), "invalid_request_error", "model", "model_not_found"),
        FailureCodes.PromptTooLong => new OpenAiError(StatusCodes.Status400BadRequest, Reason(e), "invalid_request_error", "messages", "context_length_exceeded"),
        FailureCodes.InvalidGrammar => new OpenAiError(StatusCodes.Status400BadRequest, Reason(e), "invalid_request_error", "response_format"),
        FailureCodes.InvalidRequest => new OpenAiError(StatusCodes.Status400BadRequest, Reason(e), "invalid_request_error"),
        "overloaded" => new OpenAiError(StatusCodes.Status429TooManyRequests, Reason(e), "rate_limit_error", null, "overloaded"),
        _ => new OpenAiError(StatusCodes.Status503ServiceUnavailable, Reason(e), "server_error", null, e.Code),
    };

    private static string Reason(LlamaGenerationException e) => e.Message;

    private static (ChatCompletionCall?, OpenAiError?) Fail(string message, string param) => (null, OpenAiError.Invalid(message, param));

    private static OpenAiError? OutOfRange(double? value, double min, double max, string param) =>
        value is { } v && (v < min || v > max) ? OpenAiError.Invalid($"'{param}' must be from {min} to {max}, not {v}.", param) : null;

    private static (ChatMessage?, OpenAiError?) ReadMessage(ChatCompletionMessage message, string at)
    {
        if (message.Role is not { } role || !Roles.Contains(role))
            return (null, OpenAiError.Invalid(
                $"'{at}.role' must be one of {string.Join(", ", Roles)}, not {(message.Role is null ? "missing" : $"'{InputEcho.Of(message.Role)}'")} " +
                "(tool calls are not served here).", $"{at}.role"));
        var (text, error) = ReadContent(message.Content, $"{at}.content");
        if (error is not null) return (null, error);
        return (new ChatMessage(new ChatRole(role == "developer" ? "system" : role), text) { AuthorName = message.Name }, null);
    }

    /// <summary>A message's content: a string, or text parts joined (any other part, an image say, is refused).</summary>
    private static (string?, OpenAiError?) ReadContent(JsonElement? content, string at)
    {
        switch (content)
        {
            case { ValueKind: JsonValueKind.String } s:
                return (s.GetString(), null);
            case { ValueKind: JsonValueKind.Array } parts:
                var text = new System.Text.StringBuilder();
                var i = 0;
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
                        type.GetString() != "text" || !part.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                        return (null, OpenAiError.Invalid($"'{at}[{i}]' must be a text part ({{\"type\": \"text\", \"text\": \"...\"}}); " +
                                                          "images, audio and files are not served here.", $"{at}[{i}]"));
                    text.Append(t.GetString());
                    i++;
                }
                return (text.ToString(), null);
            default:
                return (null, OpenAiError.Invalid($"'{at}' must be a string or a list of text parts.", at));
        }
    }

    private static (IList<string>?, OpenAiError?) ReadStops(JsonElement? stop)
    {
        switch (stop)
        {
            case null:
            case { ValueKind: JsonValueKind.Null }:
                return (null, null);
            case { ValueKind: JsonValueKind.String } s:
                return string.IsNullOrEmpty(s.GetString())
                    ? (null, OpenAiError.Invalid("'stop' must not be empty.", "stop"))
                    : ([s.GetString()!], null);
            case { ValueKind: JsonValueKind.Array } list:
                var stops = new List<string>();
                foreach (var s in list.EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(s.GetString()))
                        return (null, OpenAiError.Invalid("'stop' must be a string or a list of non-empty strings.", "stop"));
                    stops.Add(s.GetString()!);
                }
                return stops.Count > MostStops
                    ? (null, OpenAiError.Invalid($"'stop' takes at most {MostStops} strings, not {stops.Count}.", "stop"))
                    : (stops, null);
            default:
                return (null, OpenAiError.Invalid("'stop' must be a string or a list of non-empty strings.", "stop"));
        }
    }

    private static (ChatResponseFormat?, OpenAiError?) ReadFormat(ChatCompletionResponseFormat? format)
    {
        switch (format?.Type)
        {
            case null when format is null:
            case "text":
                return (null, null);
            case "json_object":
                return (JsonObject, null); // OpenAI's JSON mode: an object, not any JSON value
            case "json_schema":
                if (format.JsonSchema?.Schema is not { ValueKind: JsonValueKind.Object } schema)
                    return (null, OpenAiError.Invalid("'response_format.json_schema.schema' must be a JSON schema object.", "response_format.json_schema.schema"));
                return (ChatResponseFormat.ForJsonSchema(schema, format.JsonSchema.Name, format.JsonSchema.Description), null);
            default:
                return (null, OpenAiError.Invalid(
                    $"'response_format.type' must be text, json_object or json_schema, not {(format!.Type is null ? "missing" : $"'{InputEcho.Of(format.Type)}'")}.",
                    "response_format.type"));
        }
    }
}
