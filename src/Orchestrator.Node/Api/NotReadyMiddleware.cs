using Orchestrator.Node.Health;

namespace Orchestrator.Node.Api;

/// <summary>Answers requests that need the cluster or the journal (sessions, events, agents, councils, lessons, shards,
/// the journal) with a 503 problem giving the reason while the node is not ready, instead of letting them wait for
/// actors that cannot answer yet. Health, models, templates, configuration and the cluster's membership answer
/// whatever the readiness.</summary>
public sealed class NotReadyMiddleware(RequestDelegate next, NodeReadiness readiness)
{
    private static readonly string[] NeedReady =
        ["/api/sessions", "/api/events", "/api/agents", "/api/councils", "/api/lessons", "/api/cluster/sharding", "/api/journal"];

    /// <summary>Refuses a gated request while the node is not ready; passes every other on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var status = readiness.Current;
        if (!status.IsReady && NeedReady.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Headers.RetryAfter = "5";
            await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Node not ready",
                detail: $"This node is not ready: {status.Reason}.")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
