using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Agents;

/// <summary>The events of the agent registry's journal (<c>agent-registry</c>); <see cref="AgentRegistryState"/> is a
/// fold over them.</summary>
public static class AgentEvents
{
    /// <summary>An agent joined the registry.</summary>
    public sealed record AgentRegistered(AgentProfile Agent, DateTimeOffset At) : IPersistedEvent;

    /// <summary>An agent's profile changed; the whole new profile.</summary>
    public sealed record AgentUpdated(AgentProfile Agent, DateTimeOffset At) : IPersistedEvent;

    /// <summary>An agent left the registry; its tasks' slots are freed.</summary>
    public sealed record AgentRemoved(string Name, DateTimeOffset At) : IPersistedEvent;

    /// <summary>A task took a slot of an agent, chosen by selection or by hand.</summary>
    public sealed record AgentAssigned(string TaskKey, string Agent, string Kind, bool Manual, DateTimeOffset At) : IPersistedEvent;

    /// <summary>A task gave its slot back without an outcome.</summary>
    public sealed record AssignmentReleased(string TaskKey, DateTimeOffset At) : IPersistedEvent;

    /// <summary>An attempt's outcome; also frees the slot of <see cref="TaskKey"/> if it held one.</summary>
    public sealed record TaskOutcomeRecorded(
        string Agent, string Kind, string TaskKey, bool Success, TimeSpan Duration, long Tokens, DateTimeOffset At) : IPersistedEvent;

    /// <summary>A scorer's verdict on an output, with the key it is counted once by (null for one told only once).</summary>
    public sealed record QualityRecorded(string Agent, string Kind, double Quality, DateTimeOffset At, string? VerdictKey = null) : IPersistedEvent;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("agent-registered.v1", typeof(AgentRegistered)),
        new("agent-updated.v1", typeof(AgentUpdated)),
        new("agent-removed.v1", typeof(AgentRemoved)),
        new("agent-assigned.v1", typeof(AgentAssigned)),
        new("assignment-released.v1", typeof(AssignmentReleased)),
        new("task-outcome-recorded.v1", typeof(TaskOutcomeRecorded)),
        new("quality-recorded.v1", typeof(QualityRecorded)),
    ];
}
