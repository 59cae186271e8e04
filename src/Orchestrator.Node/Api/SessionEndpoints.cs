using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Api.Contracts.Templates;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Validation;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Workflows;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Api.Mapping;
using Orchestrator.Node.Configuration;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Api;

/// <summary>Sessions and templates over HTTP: start, list (newest first, filtered, paged), detail (status and DAG),
/// pause, resume, cancel, a person's answer to a human node's question; the templates the node serves.
/// Every call goes through <see cref="OrchestratorClient"/> to the <c>session</c> shard region.</summary>
public static class SessionEndpoints
{
    private const string AnswerExample = "{\"approve\": true}, {\"reject\": \"reason\"} or {\"value\": ...}";
    private const string StartExample = "{\"template\": \"manuscript-review\", \"inputs\": {\"MANUSCRIPT\": \"...\"}, \"id\": \"optional\"}";

    /// <summary>Maps the endpoints under <c>/api</c>.</summary>
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates", (TemplateLibrary library) =>
            TypedResults.Ok(library.Templates.Values.OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new TemplateSummaryDto(t.Name, t.Description, t.Extends, t.Nodes.Count)).ToList()));

        app.MapPost("/api/sessions", async (HttpRequest http, OrchestratorClient client, NodeSettings settings, CancellationToken ct) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<StartSessionRequest>(http, StartExample, ct);
            if (problem is not null) return problem;
            if (request!.Template is not { Length: > 0 } template)
                return Problems.BadRequest($"The body must name a template: {StartExample}.");
            if (SessionInputLimit.Problem(request.Inputs, settings.Sessions.MaxInputBytes) is { } tooLarge)
                return Problems.TooLarge(Problems.Sentences(tooLarge));
            var id = request.Id ?? $"s-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            return (await client.StartAsync(id, template, request.Inputs ?? new Dictionary<string, string>(), ct)).Match(
                started => Results.Created($"/api/sessions/{started.SessionId}", new SessionCreatedDto(started.SessionId)),
                NotFound,
                rejected => rejected.Conflict
                    ? Problems.Conflict(string.Join("; ", rejected.Problems))
                    : Problems.BadRequest(string.Join("; ", rejected.Problems)));
        }).Accepts<StartSessionRequest>("application/json").Produces<SessionCreatedDto>(StatusCodes.Status201Created);

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
            BadId(id) ?? Reply(await client.DetailAsync(id, ct), detail => detail.ToDto())).Produces<SessionDetailDto>();
        app.MapPost("/api/sessions/{id}/pause", async (string id, OrchestratorClient client, CancellationToken ct) =>
            BadId(id) ?? Reply(await client.PauseAsync(id, ct), status => status.ToDto())).Produces<SessionStatusDto>();
        app.MapPost("/api/sessions/{id}/resume", async (string id, OrchestratorClient client, CancellationToken ct) =>
            BadId(id) ?? Reply(await client.ResumeAsync(id, ct), status => status.ToDto())).Produces<SessionStatusDto>();
        app.MapPost("/api/sessions/{id}/cancel", async (string id, HttpRequest http, OrchestratorClient client, CancellationToken ct) =>
        {
            if (BadId(id) is { } bad) return bad;
            var (request, problem) = await JsonBody.ReadAsync<CancelSessionRequest>(http, "{\"reason\": \"...\"} (optional)", ct, optional: true);
            if (problem is not null) return problem;
            return Reply(await client.CancelAsync(id, request?.Reason ?? "cancelled through the API", ct), status => status.ToDto());
        }).Accepts<CancelSessionRequest>("application/json").Produces<SessionStatusDto>();
        app.MapPost("/api/sessions/{id}/tasks/{task}/answer", async (string id, string task, HttpRequest http, OrchestratorClient client,
            CancellationToken ct) =>
        {
            if (BadId(id) is { } bad) return bad;
            var (request, problem) = await JsonBody.ReadAsync<AnswerRequest>(http, AnswerExample, ct);
            if (problem is not null) return problem;
            var answer = new AnswerHumanInput(id, task, request!.Approve, request.Reject, request.Value?.GetRawText());
            return (await client.AnswerAsync(answer, ct)).Match(
                status => Results.Ok(status.ToDto()),
                NotFound,
                rejected => rejected.Conflict
                    ? Problems.Conflict(Problems.Sentences(rejected.Problems))
                    : Problems.BadRequest(Problems.Sentences(rejected.Problems)));
        }).Accepts<AnswerRequest>("application/json").Produces<SessionStatusDto>();
    }

    /// <summary>400 for an id no session can have (the one rule, <see cref="SessionId"/>), quoted within bounds; null for a valid one.</summary>
    private static IResult? BadId(string id) => SessionId.Problem(id) is { } why ? Problems.BadRequest(Problems.Sentences(why)) : null;

    /// <summary>200 with the reply as its contract, 404 for no such session, 409 for a command the session refused.</summary>
    private static IResult Reply<T, TDto>(SessionResult<T> result, Func<T, TDto> toDto)
        where T : class, ISessionReply =>
        result.Match(
            value => Results.Ok(toDto(value)),
            NotFound,
            rejected => Problems.Conflict(string.Join("; ", rejected.Problems)));

    private static IResult NotFound(SessionNotFound missing) => Problems.NotFound($"No session '{InputEcho.Of(missing.SessionId)}'.");
}
