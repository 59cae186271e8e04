using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Api.Contracts.Templates;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Workflows;
using Orchestrator.Node.Api.Mapping;
using static Orchestrator.Core.Sessions.SessionCommands;
using static Orchestrator.Core.Sessions.SessionReplies;

namespace Orchestrator.Node.Api;

/// <summary>Sessions and templates over HTTP: start, list (newest first, filtered, paged), detail (status and DAG),
/// pause, resume, cancel; the templates the node serves.
/// Every call goes through <see cref="OrchestratorClient"/> to the <c>session</c> shard region.</summary>
public static class SessionEndpoints
{
    /// <summary>Maps the endpoints under <c>/api</c>.</summary>
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", (TemplateLibrary library) =>
            TypedResults.Ok(library.Templates.Values.OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new TemplateSummaryDto(t.Name, t.Description, t.Extends, t.Nodes.Count)).ToList()));

        app.MapPost("/api/sessions", async (StartSessionRequest? request, OrchestratorClient client, CancellationToken ct) =>
        {
            if (request?.Template is not { Length: > 0 } template)
                return Problems.BadRequest("The body must name a template: {\"template\": \"manuscript-review\", \"inputs\": {...}}.");
            var id = request.Id ?? $"s-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            return (await client.StartAsync(id, template, request.Inputs ?? new Dictionary<string, string>(), ct)).Match(
                started => Results.Created($"/api/sessions/{started.SessionId}", new SessionCreatedDto(started.SessionId)),
                NotFound,
                rejected => Problems.BadRequest(string.Join("; ", rejected.Problems)));
        }).Produces<SessionCreatedDto>(StatusCodes.Status201Created);

        app.MapGet("/api/sessions", async (string? lifecycle, string? template, int? limit, string? after,
            OrchestratorClient client, CancellationToken ct) =>
            await client.ListAsync(new ListSessions(lifecycle, template, limit ?? 50, after), ct) switch
            {
                SessionList list => Results.Ok(list.ToDto()),
                SessionListRefused refused => Problems.BadRequest(string.Join("; ", refused.Problems)),
                var other => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply",
                    detail: $"The session directory answered {other.GetType().Name}."),
            }).Produces<SessionPageDto>();

        app.MapGet("/api/sessions/{id}", async (string id, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.DetailAsync(id, ct), detail => detail.ToDto())).Produces<SessionDetailDto>();
        app.MapPost("/api/sessions/{id}/pause", async (string id, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.PauseAsync(id, ct), status => status.ToDto())).Produces<SessionStatusDto>();
        app.MapPost("/api/sessions/{id}/resume", async (string id, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.ResumeAsync(id, ct), status => status.ToDto())).Produces<SessionStatusDto>();
        app.MapPost("/api/sessions/{id}/cancel", async (string id, CancelSessionRequest? request, OrchestratorClient client, CancellationToken ct) =>
            Reply(await client.CancelAsync(id, request?.Reason ?? "cancelled through the API", ct), status => status.ToDto())).Produces<SessionStatusDto>();
    }

    /// <summary>200 with the reply as its contract, 404 for no such session, 409 for a command the session refused.</summary>
    private static IResult Reply<T, TDto>(SessionResult<T> result, Func<T, TDto> toDto)
        where T : class, ISessionReply =>
        result.Match(
            value => Results.Ok(toDto(value)),
            NotFound,
            rejected => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: string.Join("; ", rejected.Problems)));

    private static IResult NotFound(SessionNotFound missing) => Problems.NotFound($"No session '{missing.SessionId}'.");
}
