using System.Security.Cryptography;
using System.Text;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Api;

/// <summary>When <c>orchestrator.api.token</c> is set, every request must carry <c>Authorization: Bearer TOKEN</c>;
/// anything else is a 401 problem. The comparison takes the same time whatever the guess.</summary>
public sealed class BearerTokenMiddleware(RequestDelegate next, NodeSettings settings)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(settings.Api.Token);

    /// <summary>Checks the request's token, then passes it on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (_expected.Length > 0 && !Authorized(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "This node requires 'Authorization: Bearer <token>' (orchestrator.api.token).").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private bool Authorized(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var given = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
