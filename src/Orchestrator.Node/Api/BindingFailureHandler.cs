using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Orchestrator.Node.Api;

/// <summary>Answers a request that minimal API binding refused (<c>?limit=abc</c>, a body it could not read) with a
/// 400 problem naming the parameter and what it must be, where binding alone answers a bare 400. The exception's own
/// text, which repeats the value, is never shown.</summary>
public sealed partial class BindingFailureHandler : IExceptionHandler
{
    /// <summary>Writes the problem for a <see cref="BadHttpRequestException"/>; leaves every other exception to the
    /// default handler (a 500 problem without the exception's text).</summary>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        await Results.Problem(statusCode: bad.StatusCode, title: bad.StatusCode == StatusCodes.Status400BadRequest ? "Bad request" : null,
            detail: Detail(bad)).ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>What was wrong, from the parameter ASP.NET Core names in its message: its name and what its type needs.</summary>
    private static string Detail(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) return "The body is larger than this node accepts (orchestrator.api.max-body-size).";
        if (Parameter().Match(bad.Message) is not { Success: true } m) return "The request could not be read: check its parameters and body.";
        var type = m.Groups["type"].Value.TrimEnd('?');
        var must = type switch
        {
            "int" or "long" or "short" or "Int32" or "Int64" => "a whole number",
            "double" or "float" or "decimal" or "Double" => "a number",
            "bool" or "Boolean" => "true or false",
            _ => "given in its expected form",
        };
        return bad.Message.StartsWith("Required", StringComparison.Ordinal)
            ? $"Parameter '{m.Groups["name"].Value}' is required."
            : $"Parameter '{m.Groups["name"].Value}' must be {must}.";
    }

    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex Parameter();
}
