using System.Collections.Immutable;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Validation;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentEvents;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Core.Agents;

/// <summary>One agent and one kind of task: the key of learned performance.</summary>
public readonly record struct AgentKind(string Agent, string Kind);

/// <summary>A task holding a slot of an agent.</summary>
public sealed record AgentAssignment(string TaskKey, string Agent, string Kind, bool Manual, DateTimeOffset At);

/// <summary>The agent registry as a pure fold over its events (<see cref="Apply"/>) with pure decisions
/// (<c>Decide</c>, each a <see cref="CommandResult"/> of at most one event): the agents, learned performance per agent
/// and kind (kind <see cref="AllKinds"/>: overall), and the tasks holding agents' slots. Health is not here: it is
/// live, not history (<see cref="AgentSelector"/> holds it).</summary>
public sealed partial record AgentRegistryState
{
    /// <summary>The kind under which an agent's overall performance is kept.</summary>
    public const string AllKinds = "*";

    public ImmutableSortedDictionary<string, AgentProfile> Agents { get; init; } =
        ImmutableSortedDictionary<string, AgentProfile>.Empty.WithComparers(StringComparer.Ordinal);
    public ImmutableDictionary<AgentKind, PerformanceStats> Stats { get; init; } = ImmutableDictionary<AgentKind, PerformanceStats>.Empty;
    public ImmutableDictionary<string, AgentAssignment> Assignments { get; init; } =
        ImmutableDictionary<string, AgentAssignment>.Empty.WithComparers(StringComparer.Ordinal);
    public ImmutableDictionary<string, int> InFlight { get; init; } = ImmutableDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);
    public double Alpha { get; init; } = 0.2;

    /// <summary>How long an outcome is remembered by its attempt key: a session that reports an outcome again (after a
    /// crash it cannot know whether its first report arrived) within this time of the latest outcome is not counted
    /// twice, and an outcome reported later than that is refused (it may have been counted and forgotten).</summary>
    public static readonly TimeSpan OutcomeWindow = TimeSpan.FromMinutes(10);

    /// <summary>The keys of the reports recorded within <see cref="OutcomeWindow"/> of the latest (attempt outcomes and
    /// sessions' quality verdicts), with when each happened (pruned now and then, so a few older ones may linger).</summary>
    public ImmutableDictionary<string, DateTimeOffset> RecentOutcomes { get; init; } =
        ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>When the latest recorded outcome happened: the registry's clock for <see cref="RecentOutcomes"/>.</summary>
    public DateTimeOffset LatestOutcomeAt { get; init; }

    /// <summary>An empty registry whose averages move by <paramref name="alpha"/>.</summary>
    public static AgentRegistryState Empty(double alpha) => new() { Alpha = alpha };

    public int InFlightOf(string agent) => InFlight.GetValueOrDefault(agent);

    public PerformanceStats StatsOf(string agent, string kind) => Stats.GetValueOrDefault(new AgentKind(agent, kind)) ?? PerformanceStats.Empty;

    /// <summary>The state after <paramref name="e"/>; other events leave it as it is.</summary>
    public AgentRegistryState Apply(IPersistedEvent e) => e switch
    {
        AgentRegistered r => this with { Agents = Agents.SetItem(r.Agent.Name, r.Agent) },
        AgentUpdated u when Agents.ContainsKey(u.Agent.Name) => this with { Agents = Agents.SetItem(u.Agent.Name, u.Agent) },
        AgentRemoved r => RemoveAgent(r.Name),
        AgentAssigned a when !Assignments.ContainsKey(a.TaskKey) => this with
        {
            Assignments = Assignments.Add(a.TaskKey, new AgentAssignment(a.TaskKey, a.Agent, a.Kind, a.Manual, a.At)),
            InFlight = InFlight.SetItem(a.Agent, InFlightOf(a.Agent) + 1),
        },
        AssignmentReleased r => Release(r.TaskKey),
        TaskOutcomeRecorded o => Release(o.TaskKey).Remember(o.TaskKey, o.At) with
        {
            Stats = Stats
                .SetItem(new AgentKind(o.Agent, o.Kind), StatsOf(o.Agent, o.Kind).Record(o.Success, o.Duration, o.Tokens, Alpha, o.At))
                .SetItem(new AgentKind(o.Agent, AllKinds), StatsOf(o.Agent, AllKinds).Record(o.Success, o.Duration, o.Tokens, Alpha, o.At)),
        },
        QualityRecorded q => Remember(q.VerdictKey, q.At) with
        {
            Stats = Stats
                .SetItem(new AgentKind(q.Agent, q.Kind), StatsOf(q.Agent, q.Kind).RecordQuality(q.Quality, Alpha, q.At))
                .SetItem(new AgentKind(q.Agent, AllKinds), StatsOf(q.Agent, AllKinds).RecordQuality(q.Quality, Alpha, q.At)),
        },
        _ => this,
    };

    private AgentRegistryState RemoveAgent(string name)
    {
        var held = Assignments.Values.Where(a => a.Agent == name).Select(a => a.TaskKey).ToList();
        return this with { Agents = Agents.Remove(name), Assignments = Assignments.RemoveRange(held), InFlight = InFlight.Remove(name) };
    }

    /// <summary>Remembers a report's key (none: nothing to remember); every 256 keys, those past the window are dropped.</summary>
    private AgentRegistryState Remember(string? key, DateTimeOffset at)
    {
        if (key is null) return this;
        var latest = at > LatestOutcomeAt ? at : LatestOutcomeAt;
        var recent = RecentOutcomes.SetItem(key, at);
        if (recent.Count % 256 == 0)
            recent = recent.RemoveRange(recent.Where(kv => latest - kv.Value > OutcomeWindow).Select(kv => kv.Key));
        return this with { RecentOutcomes = recent, LatestOutcomeAt = latest };
    }

    /// <summary>Whether <paramref name="report"/> was counted already (its key is remembered) or may have been and is
    /// forgotten (older than <see cref="OutcomeWindow"/> before the latest). A report without a key is never a repeat.</summary>
    private bool IsRepeat(IAgentReport report) =>
        report.Key is { } key && (RecentOutcomes.ContainsKey(key) || LatestOutcomeAt - report.At > OutcomeWindow);

    private AgentRegistryState Release(string taskKey)
    {
        if (!Assignments.TryGetValue(taskKey, out var a)) return this;
        var left = InFlightOf(a.Agent) - 1;
        return this with
        {
            Assignments = Assignments.Remove(taskKey),
            InFlight = left > 0 ? InFlight.SetItem(a.Agent, left) : InFlight.Remove(a.Agent),
        };
    }

    /// <summary>Registers an agent, or refuses it with the reason.</summary>
    public CommandResult Decide(RegisterAgent c, AgentRegistrySettings settings, DateTimeOffset now)
    {
        if (Agents.ContainsKey(c.Name)) return Refuse(c.Name, $"an agent named '{c.Name}' is already registered");
        if (Agents.Count >= settings.MaxAgents)
            return Refuse(c.Name, $"the registry holds {Agents.Count} agents, its most (orchestrator.agents.max-agents): remove one first");
        if (NullCapability(c.Name, c.Capabilities) is { } nullCapability) return Refuse(c.Name, nullCapability);
        var profile = new AgentProfile(c.Name, c.Role, Normalize(c.Capabilities), c.Model, c.MaxConcurrentTasks,
            c.Specialization ?? ImmutableSortedDictionary<string, double>.Empty);
        if (Problem(profile, settings) is { } problem) return Refuse(c.Name, problem);
        return CommandResult.Persist(new AgentRegistered(profile, now), new AgentAccepted(profile));
    }

    /// <summary>Updates the given fields of an agent, or refuses with the reason.</summary>
    public CommandResult Decide(UpdateAgent c, AgentRegistrySettings settings, DateTimeOffset now)
    {
        if (!Agents.TryGetValue(c.Name, out var current)) return CommandResult.ReplyOnly(new AgentNotFound(c.Name));
        if (NullCapability(c.Name, c.Capabilities) is { } nullCapability) return Refuse(c.Name, nullCapability);
        var profile = current with
        {
            Role = c.Role ?? current.Role,
            Capabilities = c.Capabilities is null ? current.Capabilities : Normalize(c.Capabilities),
            Model = c.Model ?? current.Model,
            MaxConcurrentTasks = c.MaxConcurrentTasks ?? current.MaxConcurrentTasks,
            Specialization = c.Specialization ?? current.Specialization,
        };
        if (Problem(profile, settings) is { } problem) return Refuse(c.Name, problem);
        return CommandResult.Persist(new AgentUpdated(profile, now), new AgentAccepted(profile));
    }

    /// <summary>Removes an agent.</summary>
    public CommandResult Decide(RemoveAgent c, DateTimeOffset now) =>
        Agents.ContainsKey(c.Name)
            ? CommandResult.Persist(new AgentRemoved(c.Name, now), new AgentDeleted(c.Name))
            : CommandResult.ReplyOnly(new AgentNotFound(c.Name));

    /// <summary>Chooses an agent through <paramref name="selector"/>; a task key that already holds a slot gets the
    /// same agent again (a repeated request changes nothing).</summary>
    public CommandResult Decide(SelectAgent c, AgentSelector selector, DateTimeOffset now)
    {
        if (Assignments.TryGetValue(c.TaskKey, out var held)) return Again(held);
        var choice = selector.Select(c.Capabilities, c.Role, c.Kind, out var reason);
        if (choice is not { } chosen) return CommandResult.ReplyOnly(new NoAgentAvailable(c.TaskKey, reason!));
        return CommandResult.Persist(
            new AgentAssigned(c.TaskKey, chosen.Agent.Name, c.Kind, false, now),
            new AgentSelected(c.TaskKey, chosen.Agent.Name, chosen.Agent.Model, chosen.Score, false));
    }

    /// <summary>Assigns a task to a named agent by hand: it must exist, its model be alive and a slot free.</summary>
    public CommandResult Decide(AssignTask c, AgentSelector selector, DateTimeOffset now)
    {
        if (Assignments.TryGetValue(c.TaskKey, out var held))
            return held.Agent == c.Agent ? Again(held) : Refuse(c.TaskKey, $"task '{c.TaskKey}' is already assigned to '{held.Agent}'");
        if (!Agents.TryGetValue(c.Agent, out var agent)) return CommandResult.ReplyOnly(new AgentNotFound(c.Agent));
        if (!selector.IsHealthy(agent.Model)) return Refuse(c.Agent, $"the model '{agent.Model}' of agent '{c.Agent}' is down");
        if (InFlightOf(c.Agent) >= agent.MaxConcurrentTasks)
            return Refuse(c.Agent, $"agent '{c.Agent}' is at capacity ({InFlightOf(c.Agent)} of {agent.MaxConcurrentTasks} tasks)");
        return CommandResult.Persist(
            new AgentAssigned(c.TaskKey, c.Agent, c.Kind, true, now),
            new AgentSelected(c.TaskKey, c.Agent, agent.Model, selector.ScoreOf(c.Agent, c.Kind), true));
    }

    /// <summary>Frees a task's slot.</summary>
    public CommandResult Decide(ReleaseTask c, DateTimeOffset now) =>
        Assignments.ContainsKey(c.TaskKey)
            ? CommandResult.Persist(new AssignmentReleased(c.TaskKey, now), new TaskReleased(c.TaskKey, true))
            : CommandResult.ReplyOnly(new TaskReleased(c.TaskKey, false));

    /// <summary>Records an outcome once: an empty agent or kind is ignored, and so is an attempt already recorded (a
    /// session reports the outcomes it replays, lest one persisted just before a crash never arrive) or one older than
    /// <see cref="OutcomeWindow"/> before the latest (whether it was recorded is no longer known).</summary>
    public CommandResult Decide(RecordTaskOutcome c) =>
        string.IsNullOrWhiteSpace(c.Agent) || string.IsNullOrWhiteSpace(c.Kind) || c.TaskKey is null || IsRepeat(c)
            ? CommandResult.None
            : CommandResult.Persist(new TaskOutcomeRecorded(c.Agent, c.Kind, c.TaskKey, c.Success, c.Duration, c.Tokens, c.At), null);

    /// <summary>Records a quality verdict once, as an outcome (by its key, when it has one); one that is not a number is
    /// ignored.</summary>
    public CommandResult Decide(RecordQuality c) =>
        string.IsNullOrWhiteSpace(c.Agent) || string.IsNullOrWhiteSpace(c.Kind) || !double.IsFinite(c.Quality) || IsRepeat(c)
            ? CommandResult.None
            : CommandResult.Persist(new QualityRecorded(c.Agent, c.Kind, c.Quality, c.At, c.VerdictKey), null);

    private CommandResult Again(AgentAssignment held) =>
        CommandResult.ReplyOnly(new AgentSelected(held.TaskKey, held.Agent, Agents.TryGetValue(held.Agent, out var a) ? a.Model : "", 0, held.Manual));

    private static CommandResult Refuse(string subject, string reason) => CommandResult.ReplyOnly(new AgentRefused(subject, reason));

    /// <summary>Why <paramref name="capabilities"/> cannot be normalized (a null among them, which a message from
    /// outside the API can carry), or null.</summary>
    private static string? NullCapability(string name, IReadOnlyList<string>? capabilities) =>
        capabilities?.Any(c => c is null) == true ? $"capabilities of agent '{InputEcho.Of(name)}' must not hold null" : null;

    private static IReadOnlyList<string> Normalize(IReadOnlyList<string>? capabilities) =>
        (capabilities ?? []).Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The most capabilities, and the most kinds of specialization, an agent may have: with
    /// <see cref="MaxTextLength"/>, they bound what one agent costs the registry, its snapshots and every node's copy.</summary>
    public const int MaxListed = 64;

    /// <summary>The longest role, capability or specialization kind.</summary>
    public const int MaxTextLength = 128;

    /// <summary>Why a profile cannot be registered, or null.</summary>
    private static string? Problem(AgentProfile p, AgentRegistrySettings settings)
    {
        if (AgentName.Problem(p.Name) is { } badName) return badName;
        if (ReservedNames.Contains(p.Name))
            return $"agent name '{p.Name}' is reserved: /api/agents/{p.Name.ToLowerInvariant()} is the registry's own resource";
        if (string.IsNullOrWhiteSpace(p.Role)) return $"agent '{p.Name}' needs a role";
        if (p.Role.Length > MaxTextLength) return $"the role of agent '{p.Name}' has {p.Role.Length} characters; at most {MaxTextLength}";
        if (p.Capabilities.Count > MaxListed) return $"agent '{p.Name}' has {p.Capabilities.Count} capabilities; at most {MaxListed}";
        if (p.Capabilities.FirstOrDefault(c => c.Length > MaxTextLength) is { } longCapability)
            return $"capability '{InputEcho.Of(longCapability)}' of agent '{p.Name}' has {longCapability.Length} characters; at most {MaxTextLength}";
        if (p.Specialization.Count > MaxListed) return $"agent '{p.Name}' has a specialization for {p.Specialization.Count} kinds; at most {MaxListed}";
        if (p.Specialization.Keys.FirstOrDefault(k => k.Length > MaxTextLength) is { } longKind)
            return $"specialization '{InputEcho.Of(longKind)}' of agent '{p.Name}' has {longKind.Length} characters; at most {MaxTextLength}";
        if (settings.Roles is { } roles && !roles.Contains(p.Role))
            return $"unknown role '{InputEcho.Of(p.Role)}' (known: {string.Join(", ", roles.Order(StringComparer.Ordinal))})";
        if (!settings.Models.Contains(p.Model))
            return $"model '{InputEcho.Of(p.Model)}' of agent '{p.Name}' is not configured (configured: " +
                   $"{(settings.Models.Count == 0 ? "none" : string.Join(", ", settings.Models.Order(StringComparer.Ordinal)))})";
        if (p.MaxConcurrentTasks is < 1 or > 10_000) return $"max concurrent tasks of agent '{p.Name}' must be 1 to 10000, not {p.MaxConcurrentTasks}";
        foreach (var (kind, score) in p.Specialization)
            if (!double.IsFinite(score) || score is < 0 or > 1)
                return $"specialization '{kind}' of agent '{p.Name}' must be between 0 and 1, not {score}";
        return null;
    }

    /// <summary>Names an agent cannot have: the API's routes under <c>/api/agents/</c> that are not agents (routes
    /// match without regard to case).</summary>
    private static readonly HashSet<string> ReservedNames = new(["analytics"], StringComparer.OrdinalIgnoreCase);
}
