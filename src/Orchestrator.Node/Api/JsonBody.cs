using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Orchestrator.Node.Api;

/// <summary>Reads a request's JSON body with the API's serializer options, turning a missing or malformed body into a
/// 400 problem that says what is wrong (where minimal API binding would answer a bare 400).</summary>
public static class JsonBody
{
    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer; <paramref name="example"/> shows the
    /// expected shape in the problem's detail.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, string example, CancellationToken ct)
        where T : class
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, ct);
            return value is null ? (null, Problems.BadRequest($"The body must be a JSON object: {example}.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"The body is not valid JSON ({e.Message}); expected {example}."));
        }
    }
}
