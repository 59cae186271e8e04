using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Api;

/// <summary>Refuses a request whose declared body exceeds <c>orchestrator.api.max-body-size</c> with a 413 problem
/// before any endpoint runs; Kestrel enforces the same limit on bodies of unknown length as they are read.</summary>
public sealed class BodySizeLimitMiddleware(RequestDelegate next, NodeSettings settings)
{
    /// <summary>Checks the declared length, then passes the request on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > settings.Api.MaxBodyBytes)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"The body has {context.Request.ContentLength} bytes; this node accepts at most {settings.Api.MaxBodyBytes} (orchestrator.api.max-body-size).")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
