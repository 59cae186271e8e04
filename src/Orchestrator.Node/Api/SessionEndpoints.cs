using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Workflows;
using static Orchestrator.Core.Sessions.SessionCommands;
using static Orchestrator.Core.Sessions.SessionReplies;

namespace Orchestrator.Node.Api;

/// <summary>Sessions and templates over HTTP: start, list (newest first, filtered, paged), detail (status and DAG),
/// pause, resume, cancel; the templates the node serves.
/// Every call goes through <see cref="OrchestratorClient"/> to the <c>session</c> shard region.</summary>
public static class SessionEndpoints
{
    /// <summary>The body of <c>POST /api/sessions</c>: a template, its inputs, and an optional id (one is made up when absent).</summary>
    public sealed record StartRequest(string? Template, Dictionary<string, string>? Inputs, string? Id);

    /// <summary>The body of <c>POST /api/sessions/{id}/cancel</c>.</summary>
    public sealed record CancelRequest(string? Reason);

    /// <summary>Maps the endpoints under <c>/api</c>.</summary>
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", (TemplateLibrary library) =>
            Results.Ok(library.Templates.Values.OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new { name = t.Name, description = t.Description, @extends = t.Extends, nodes = t.Nodes.Count })));

        app.MapPost("/api/sessions", async (StartRequest? request, OrchestratorClient client, CancellationToken ct) =>
        {
            if (request?.Template is not { Length: > 0 } template)
                return Problems.BadRequest("The body must name a template: {\"template\": \"manuscript-review\", \"inputs\": {...}}.");
            var id = request.Id ?? $"s-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            return await client.StartAsync(id, template, request.Inputs ?? [], ct) switch
            {
                SessionStarted started => Results.Created($"/api/sessions/{started.SessionId}", new { id = started.SessionId }),
                SessionRejected rejected => Problems.BadRequest(string.Join("; ", rejected.Problems)),
                var other => Unexpected(other),
            };
        });

        app.MapGet("/api/sessions", async (string? lifecycle, string? template, int? limit, string? after,
            OrchestratorClient client, CancellationToken ct) =>
            await client.ListAsync(new ListSessions(lifecycle, template, limit ?? 50, after), ct) switch
            {
                SessionList list => Results.Ok(list),
                SessionListRefused refused => Problems.BadRequest(string.Join("; ", refused.Problems)),
                var other => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply",
                    detail: $"The session directory answered {other.GetType().Name}."),
            });

        app.MapGet("/api/sessions/{id}", async (string id, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.DetailAsync(id, ct)));
        app.MapPost("/api/sessions/{id}/pause", async (string id, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.PauseAsync(id, ct)));
        app.MapPost("/api/sessions/{id}/resume", async (string id, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.ResumeAsync(id, ct)));
        app.MapPost("/api/sessions/{id}/cancel", async (string id, CancelRequest? request, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.CancelAsync(id, request?.Reason ?? "cancelled through the API", ct)));
    }

    private static IResult Reply(ISessionMessage reply) => reply switch
    {
        SessionStatus status => Results.Ok(status),
        SessionDetail detail => Results.Ok(new SessionDetailResponse(detail)),
        SessionNotFound missing => Problems.NotFound($"No session '{missing.SessionId}'."),
        SessionRejected rejected => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: string.Join("; ", rejected.Problems)),
        var other => Unexpected(other),
    };

    /// <summary>A session as <c>GET /api/sessions/{id}</c> shows it: the fields of its status, when it was created with
    /// which inputs, and every task of its DAG with its state.</summary>
    public sealed record SessionDetailResponse(
        string SessionId, SessionLifecycle Lifecycle, string Template, int Iteration, int TotalTasks, int Succeeded,
        int Failed, int Skipped, int InFlight, long TokensUsed, double? BestScore, string? EndReason,
        DateTimeOffset? CreatedAt, IReadOnlyDictionary<string, string> Inputs, IReadOnlyList<TaskView> Tasks)
    {
        /// <summary>The response of <paramref name="detail"/>.</summary>
        public SessionDetailResponse(SessionDetail detail) : this(
            detail.Status.SessionId, detail.Status.Lifecycle, detail.Status.Template, detail.Status.Iteration,
            detail.Status.TotalTasks, detail.Status.Succeeded, detail.Status.Failed, detail.Status.Skipped,
            detail.Status.InFlight, detail.Status.TokensUsed, detail.Status.BestScore, detail.Status.EndReason,
            detail.CreatedAt, detail.Inputs, detail.Tasks)
        {
        }
    }

    private static IResult Unexpected(ISessionMessage reply) => Problems.UnexpectedReply("The session", reply);
}
