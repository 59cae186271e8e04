using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Agents;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Validation;
using Orchestrator.Engine.Agents;
using Orchestrator.Node.Api.Mapping;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Node.Api;

/// <summary>The agent registry over HTTP (<c>orch agents</c>): list with learned performance and workload, show one,
/// register, update, remove, and the learned performance per agent and task kind. Every call asks the
/// <see cref="AgentRegistry"/> singleton through its proxy; a refusal changes nothing.</summary>
public static class AgentEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private const string RegisterExample =
        "{\"name\": \"dev-1\", \"role\": \"DEV\", \"model\": \"tiny\", \"capabilities\": [\"code\"], \"maxConcurrentTasks\": 2, " +
        "\"specialization\": {\"code\": 0.8}}";

    private const string UpdateExample = "{\"model\": \"tiny\", \"maxConcurrentTasks\": 4} (every field optional)";

    /// <summary>Every registered agent, read page by page to the last.</summary>
    private static Task<List<AgentStatus>> AllAgentsAsync(IActorRef registry, CancellationToken ct) =>
        PagedReplies.ReadAllAsync(after => registry.Ask<AgentList>(new ListAgents(after), AskTimeout, ct), p => p.Agents, p => p.Next);

    /// <summary>Every entry of the learned performance <paramref name="query"/> asks for, read page by page to the last.</summary>
    private static async Task<AgentAnalytics> AllAnalyticsAsync(IActorRef registry, GetAgentAnalytics query, CancellationToken ct)
    {
        var entries = new List<AgentKindPerformance>();
        var next = query;
        while (true)
        {
            var page = await registry.Ask<AgentAnalytics>(next, AskTimeout, ct);
            entries.AddRange(page.Entries);
            if (page.NextAgent is null) return new AgentAnalytics(entries);
            next = query with { AfterAgent = page.NextAgent, AfterKind = page.NextKind };
        }
    }

    /// <summary>Maps the endpoints under <c>/api/agents</c>.</summary>
    public static void MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/agents", async (IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var agents = await AllAgentsAsync(await registry.GetAsync(ct), ct);
            return TypedResults.Ok(new AgentListDto(agents.Select(a => a.ToDto()).ToList()));
        });

        app.MapGet("/api/agents/analytics", async (string? agent, string? kind, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var analytics = await AllAnalyticsAsync(await registry.GetAsync(ct), new GetAgentAnalytics(Blank(agent), Blank(kind)), ct);
            return TypedResults.Ok(new AgentAnalyticsDto(analytics.ToDto()));
        });

        app.MapGet("/api/agents/{name}", async (string name, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            if (BadName(name) is { } bad) return bad;
            var actor = await registry.GetAsync(ct);
            switch (await actor.Ask<object>(new GetAgent(name), AskTimeout, ct))
            {
                case AgentStatus status:
                    var analytics = await AllAnalyticsAsync(actor, new GetAgentAnalytics(name), ct);
                    return Results.Ok(status.ToDto(analytics.ToDto()));
                case AgentNotFound missing:
                    return NotFound(missing.Name);
                case var other:
                    return Unexpected(other);
            }
        }).Produces<AgentDto>();

        app.MapPost("/api/agents", async (HttpRequest request, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RegisterAgentRequest>(request, RegisterExample, ct);
            if (problem is not null) return problem;
            var missing = new[] { ("name", body!.Name), ("role", body.Role), ("model", body.Model) }
                .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
            if (missing.Count > 0)
                return Problems.BadRequest($"The body must give {string.Join(", ", missing)}: {RegisterExample}.");
            if (BadName(body.Name!) is { } badName) return badName;
            var actor = await registry.GetAsync(ct);
            if (await actor.Ask<object>(new GetAgent(body.Name!), AskTimeout, ct) is AgentStatus)
                return Problems.Conflict($"An agent named '{body.Name}' is already registered (PUT /api/agents/{body.Name} changes it).");
            return await actor.Ask<object>(new RegisterAgent(body.Name!, body.Role!, body.Capabilities ?? [], body.Model!,
                    body.MaxConcurrentTasks ?? 1, body.Specialization), AskTimeout, ct) switch
            {
                AgentAccepted accepted => Results.Created($"/api/agents/{Uri.EscapeDataString(accepted.Agent.Name)}", accepted.Agent.ToDto()),
                AgentRefused refused when refused.Reason.Contains("already registered", StringComparison.Ordinal)
                                           || refused.Reason.Contains("max-agents", StringComparison.Ordinal) =>
                    Problems.Conflict(Problems.Sentences(refused.Reason)),
                AgentRefused refused => Problems.BadRequest(Problems.Sentences(refused.Reason)),
                var other => Unexpected(other),
            };
        }).Accepts<RegisterAgentRequest>("application/json").Produces<AgentProfileDto>(StatusCodes.Status201Created);

        app.MapPut("/api/agents/{name}", async (string name, HttpRequest request, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            if (BadName(name) is { } bad) return bad;
            var (body, problem) = await JsonBody.ReadAsync<UpdateAgentRequest>(request, UpdateExample, ct);
            if (problem is not null) return problem;
            return await (await registry.GetAsync(ct)).Ask<object>(new UpdateAgent(name, Blank(body!.Role), body.Capabilities,
                    Blank(body.Model), body.MaxConcurrentTasks, body.Specialization), AskTimeout, ct) switch
            {
                AgentAccepted accepted => Results.Ok(accepted.Agent.ToDto()),
                AgentNotFound missing => NotFound(missing.Name),
                AgentRefused refused => Problems.BadRequest(Problems.Sentences(refused.Reason)),
                var other => Unexpected(other),
            };
        }).Accepts<UpdateAgentRequest>("application/json").Produces<AgentProfileDto>();

        app.MapDelete("/api/agents/{name}", async (string name, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
            BadName(name) ?? await (await registry.GetAsync(ct)).Ask<object>(new RemoveAgent(name), AskTimeout, ct) switch
            {
                AgentDeleted deleted => Results.Ok(new DeletedDto(deleted.Name)),
                AgentNotFound missing => NotFound(missing.Name),
                var other => Unexpected(other),
            }).Produces<DeletedDto>();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>400 for a name no agent can have (the one rule, <see cref="AgentName"/>), quoted within bounds; null for a valid one.</summary>
    private static IResult? BadName(string name) => AgentName.Problem(name) is { } why ? Problems.BadRequest(Problems.Sentences(why)) : null;

    private static IResult NotFound(string name) => Problems.NotFound($"No agent named '{InputEcho.Of(name)}' (GET /api/agents lists them).");

    private static IResult Unexpected(object reply) => Problems.UnexpectedReply("The agent registry", reply);
}
