using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Agents;
using Orchestrator.Engine.Agents;
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

    /// <summary>The body of <c>POST /api/agents</c>.</summary>
    public sealed record RegisterRequest(
        string? Name, string? Role, IReadOnlyList<string>? Capabilities, string? Model, int? MaxConcurrentTasks,
        Dictionary<string, double>? Specialization);

    /// <summary>The body of <c>PUT /api/agents/{name}</c>: the fields to change (absent: unchanged).</summary>
    public sealed record UpdateRequest(
        string? Role, IReadOnlyList<string>? Capabilities, string? Model, int? MaxConcurrentTasks,
        Dictionary<string, double>? Specialization);

    /// <summary>An agent as the API shows it: its profile, whether its model is alive, its tasks in flight and free
    /// slots, its overall learned performance, and (for one agent) its performance per task kind.</summary>
    public sealed record AgentDto(
        string Name, string Role, IReadOnlyList<string> Capabilities, string Model, int MaxConcurrentTasks,
        IReadOnlyDictionary<string, double> Specialization, bool Healthy, int InFlight, int FreeSlots, PerformanceStats Performance,
        IReadOnlyList<KindPerformanceDto>? Kinds = null)
    {
        /// <summary>The view of <paramref name="status"/>, with <paramref name="kinds"/> when given.</summary>
        public static AgentDto From(AgentStatus status, IReadOnlyList<KindPerformanceDto>? kinds = null) => new(
            status.Agent.Name, status.Agent.Role, status.Agent.Capabilities, status.Agent.Model, status.Agent.MaxConcurrentTasks,
            status.Agent.Specialization, status.Healthy, status.InFlight, Math.Max(0, status.Agent.MaxConcurrentTasks - status.InFlight),
            status.Overall, kinds);
    }

    /// <summary>Learned performance of an agent at one kind of task (<c>*</c>: overall).</summary>
    public sealed record KindPerformanceDto(string Agent, string Kind, PerformanceStats Performance);

    /// <summary>Maps the endpoints under <c>/api/agents</c>.</summary>
    public static void MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/agents", async (IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var list = await (await registry.GetAsync(ct)).Ask<AgentList>(new ListAgents(), AskTimeout, ct);
            return Results.Ok(new { agents = list.Agents.Select(a => AgentDto.From(a)).ToList() });
        });

        app.MapGet("/api/agents/analytics", async (string? agent, string? kind, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var analytics = await (await registry.GetAsync(ct)).Ask<AgentAnalytics>(
                new GetAgentAnalytics(Blank(agent), Blank(kind)), AskTimeout, ct);
            return Results.Ok(new { entries = analytics.Entries.Select(e => new KindPerformanceDto(e.Agent, e.Kind, e.Stats)).ToList() });
        });

        app.MapGet("/api/agents/{name}", async (string name, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var actor = await registry.GetAsync(ct);
            switch (await actor.Ask<object>(new GetAgent(name), AskTimeout, ct))
            {
                case AgentStatus status:
                    var analytics = await actor.Ask<AgentAnalytics>(new GetAgentAnalytics(name), AskTimeout, ct);
                    return Results.Ok(AgentDto.From(status,
                        analytics.Entries.Select(e => new KindPerformanceDto(e.Agent, e.Kind, e.Stats)).ToList()));
                case AgentNotFound missing:
                    return NotFound(missing.Name);
                case var other:
                    return Unexpected(other);
            }
        });

        app.MapPost("/api/agents", async (HttpRequest request, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RegisterRequest>(request, RegisterExample, ct);
            if (problem is not null) return problem;
            var missing = new[] { ("name", body!.Name), ("role", body.Role), ("model", body.Model) }
                .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
            if (missing.Count > 0)
                return Problems.BadRequest($"The body must give {string.Join(", ", missing)}: {RegisterExample}.");
            var actor = await registry.GetAsync(ct);
            if (await actor.Ask<object>(new GetAgent(body.Name!), AskTimeout, ct) is AgentStatus)
                return Problems.Conflict($"An agent named '{body.Name}' is already registered (PUT /api/agents/{body.Name} changes it).");
            return await actor.Ask<object>(new RegisterAgent(body.Name!, body.Role!, body.Capabilities ?? [], body.Model!,
                    body.MaxConcurrentTasks ?? 1, body.Specialization), AskTimeout, ct) switch
            {
                AgentAccepted accepted => Results.Created($"/api/agents/{Uri.EscapeDataString(accepted.Agent.Name)}", accepted.Agent),
                AgentRefused refused when refused.Reason.Contains("already registered", StringComparison.Ordinal) =>
                    Problems.Conflict(Problems.Sentences(refused.Reason)),
                AgentRefused refused => Problems.BadRequest(Problems.Sentences(refused.Reason)),
                var other => Unexpected(other),
            };
        });

        app.MapPut("/api/agents/{name}", async (string name, HttpRequest request, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<UpdateRequest>(request, UpdateExample, ct);
            if (problem is not null) return problem;
            return await (await registry.GetAsync(ct)).Ask<object>(new UpdateAgent(name, Blank(body!.Role), body.Capabilities,
                    Blank(body.Model), body.MaxConcurrentTasks, body.Specialization), AskTimeout, ct) switch
            {
                AgentAccepted accepted => Results.Ok(accepted.Agent),
                AgentNotFound missing => NotFound(missing.Name),
                AgentRefused refused => Problems.BadRequest(Problems.Sentences(refused.Reason)),
                var other => Unexpected(other),
            };
        });

        app.MapDelete("/api/agents/{name}", async (string name, IRequiredActor<AgentRegistryProxy> registry, CancellationToken ct) =>
            await (await registry.GetAsync(ct)).Ask<object>(new RemoveAgent(name), AskTimeout, ct) switch
            {
                AgentDeleted deleted => Results.Ok(new { deleted = deleted.Name }),
                AgentNotFound missing => NotFound(missing.Name),
                var other => Unexpected(other),
            });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;


    private static IResult NotFound(string name) => Problems.NotFound($"No agent named '{name}' (GET /api/agents lists them).");

    private static IResult Unexpected(object reply) => Problems.UnexpectedReply("The agent registry", reply);
}
