using System.Text.Json;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Validation;

namespace Orchestrator.Node.Api;

/// <summary>Reads a request's JSON body with the API's serializer options, the one way every endpoint does: a missing,
/// malformed or ill-fitting body is a 400 problem that says where and what is wrong (the line and byte of a syntax
/// error; each unknown field, null in a list, wrong type or number out of range by its path, see <see cref="JsonShape"/>),
/// never an exception's message.</summary>
public static class JsonBody
{
    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer; <paramref name="example"/> shows the
    /// expected shape in the problem's detail. With <paramref name="optional"/>, an empty body is no body: (null, null).</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, string example, CancellationToken ct,
        bool optional = false)
        where T : class
    {
        var (value, error) = await ParseAsync<T>(request, example, ct, optional);
        return (value, error is null ? null : Problems.BadRequest(error));
    }

    /// <summary>The body as <typeparamref name="T"/>, or what is wrong with it in words (for an endpoint that answers
    /// errors in another format than a problem, such as the OpenAI-compatible one).</summary>
    public static async Task<(T? Value, string? Error)> ParseAsync<T>(HttpRequest request, string example, CancellationToken ct,
        bool optional = false)
        where T : class
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct); // bounded by orchestrator.api.max-body-size
        if (buffer.GetBuffer().AsSpan(0, (int)buffer.Length).Trim(" \t\r\n"u8).IsEmpty)
            return optional ? (null, null) : (null, $"The body is empty; expected a JSON object: {example}.");
        buffer.Position = 0;

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(buffer, default, ct);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            return (null, $"The body is not valid JSON{where}; expected {example}.");
        }
        using (document)
        {
            var problems = JsonShape.Problems(document.RootElement, typeof(T), options);
            if (problems.Count > 0)
                return (null, Problems.Sentences(problems) + $" Expected {example}.");
            try
            {
                return document.RootElement.Deserialize<T>(options) is { } value
                    ? (value, null)
                    : (null, $"The body must be a JSON object: {example}.");
            }
            catch (JsonException e)
            {
                // What the shape check lets through should bind; should it not, say where, never the exception's text.
                return (null, $"The body does not fit its contract at {InputEcho.Of(e.Path ?? "$")}; expected {example}.");
            }
        }
    }
}
