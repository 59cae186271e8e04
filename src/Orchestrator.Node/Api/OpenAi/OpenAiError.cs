using System.Text.Json.Serialization;

namespace Orchestrator.Node.Api.OpenAi;

/// <summary>An error as OpenAI's API answers one (<c>{"error": {...}}</c>), so that its client libraries read the
/// message: <paramref name="Status"/> is the HTTP status, <paramref name="Param"/> the field at fault.</summary>
public sealed record OpenAiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>A request the node cannot serve as given (400).</summary>
    public static OpenAiError Invalid(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param);

    /// <summary>The body written for this error.</summary>
    public OpenAiErrorBody Body => new(new OpenAiErrorDetail(Message, Type, Param, Code));

    /// <summary>The HTTP answer.</summary>
    public IResult ToResult() => Results.Json(Body, statusCode: Status);
}

/// <summary>The body of an error: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAiErrorBody([property: JsonPropertyName("error")] OpenAiErrorDetail Error);

/// <summary>What went wrong.</summary>
public sealed record OpenAiErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
