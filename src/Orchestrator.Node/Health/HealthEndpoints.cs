using Orchestrator.Engine.Models;

namespace Orchestrator.Node.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (cluster member Up, journal answering and, once
/// ready, still taking writes, and some configured model serving: 503 with the reason while not; a ready node whose
/// other configured models do not serve says which and why).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps both endpoints.</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", (HttpContext context, NodeReadiness readiness) =>
        {
            var status = readiness.Current;
            var models = context.RequestServices.GetService<ModelServingView>()?.Current;
            if (status.IsReady && models?.ReadinessProblem is { } problem)
                status = new NodeReadiness.Status(false, $"not ready: {problem}");
            else if (status.IsReady && models?.NotServing is { Count: > 0 } notServing)
                status = status with { Reason = $"{status.Reason}; degraded: {string.Join("; ", notServing)}" };
            return status.IsReady
                ? Results.Ok(new { status = "ready", detail = status.Reason })
                : Results.Json(new { status = "not-ready", detail = status.Reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
