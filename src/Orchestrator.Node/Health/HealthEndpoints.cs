namespace Orchestrator.Node.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (cluster member Up, journal answering and, once
/// ready, still taking writes: 503 with the reason while it does not).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps both endpoints.</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", (NodeReadiness readiness) =>
        {
            var status = readiness.Current;
            return status.IsReady
                ? Results.Ok(new { status = "ready", detail = status.Reason })
                : Results.Json(new { status = "not-ready", detail = status.Reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
