using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Agents;

/// <summary>The agent registry's answers.</summary>
public static class AgentReplies
{
    /// <summary>An agent was registered or updated; its profile now.</summary>
    public sealed record AgentAccepted(AgentProfile Agent) : IClusterMessage;

    /// <summary>An agent was removed.</summary>
    public sealed record AgentDeleted(string Name) : IClusterMessage;

    /// <summary>A command was refused, with the reason; nothing changed.</summary>
    public sealed record AgentRefused(string Subject, string Reason) : IClusterMessage;

    /// <summary>No agent has that name.</summary>
    public sealed record AgentNotFound(string Name) : IClusterMessage;

    /// <summary>The agent chosen (or assigned by hand) for a task, its model, and the score it was chosen by.</summary>
    public sealed record AgentSelected(string TaskKey, string Agent, string Model, double Score, bool Manual) : IClusterMessage;

    /// <summary>No agent can take the task now, and why (no capability match, all busy, models down).</summary>
    public sealed record NoAgentAvailable(string TaskKey, string Reason) : IClusterMessage;

    /// <summary>A task's slot was freed (or it held none).</summary>
    public sealed record TaskReleased(string TaskKey, bool Held) : IClusterMessage;

    /// <summary>An agent with its health (its model actor alive), its tasks in flight, and its overall performance.</summary>
    public sealed record AgentStatus(AgentProfile Agent, bool Healthy, int InFlight, PerformanceStats Overall) : IClusterMessage;

    /// <summary>A page of the registered agents, by name; <paramref name="Next"/>: ask again after this name for the next
    /// page (null: this is the last).</summary>
    public sealed record AgentList(IReadOnlyList<AgentStatus> Agents, string? Next = null) : IClusterMessage;

    /// <summary>Learned performance of one agent at one kind of task (<c>*</c>: overall).</summary>
    public sealed record AgentKindPerformance(string Agent, string Kind, PerformanceStats Stats);

    /// <summary>A page of learned performance, by agent then kind; <paramref name="NextAgent"/> and
    /// <paramref name="NextKind"/>: ask again after this agent and kind for the next page (null: this is the last).</summary>
    public sealed record AgentAnalytics(IReadOnlyList<AgentKindPerformance> Entries, string? NextAgent = null, string? NextKind = null)
        : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("agent-accepted.v1", typeof(AgentAccepted)),
        new("agent-deleted.v1", typeof(AgentDeleted)),
        new("agent-refused.v1", typeof(AgentRefused)),
        new("agent-not-found.v1", typeof(AgentNotFound)),
        new("agent-selected.v1", typeof(AgentSelected)),
        new("no-agent-available.v1", typeof(NoAgentAvailable)),
        new("task-released.v1", typeof(TaskReleased)),
        new("agent-status.v1", typeof(AgentStatus)),
        new("agent-list.v1", typeof(AgentList)),
        new("agent-analytics.v1", typeof(AgentAnalytics)),
    ];
}
