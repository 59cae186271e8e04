using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Agents;

/// <summary>What the agent registry (<c>/user/agents</c>, a cluster singleton) is asked to do. Registration, update,
/// removal and assignment are answered by one of <see cref="AgentReplies"/>; outcomes and quality are told, not asked.</summary>
public static class AgentCommands
{
    /// <summary>Registers an agent; answered <see cref="AgentReplies.AgentAccepted"/>, or
    /// <see cref="AgentReplies.AgentRefused"/> for a taken name, an unknown role, a model not configured, bad limits.</summary>
    public sealed record RegisterAgent(
        string Name,
        string Role,
        IReadOnlyList<string> Capabilities,
        string Model,
        int MaxConcurrentTasks = 1,
        IReadOnlyDictionary<string, double>? Specialization = null) : IClusterMessage;

    /// <summary>Changes the given fields of an agent (null: unchanged); answered like a registration.</summary>
    public sealed record UpdateAgent(
        string Name,
        string? Role = null,
        IReadOnlyList<string>? Capabilities = null,
        string? Model = null,
        int? MaxConcurrentTasks = null,
        IReadOnlyDictionary<string, double>? Specialization = null) : IClusterMessage;

    /// <summary>Removes an agent (its learned performance stays for analytics); answered
    /// <see cref="AgentReplies.AgentDeleted"/> or <see cref="AgentReplies.AgentNotFound"/>.</summary>
    public sealed record RemoveAgent(string Name) : IClusterMessage;

    /// <summary>Picks the agent for a task: those with every capability (and the role, when given) whose model is alive
    /// and who have a free slot, ranked by learned quality at <see cref="Kind"/> and free capacity. The chosen agent's
    /// slot is taken until the outcome of <see cref="TaskKey"/> is recorded or it is released. Answered
    /// <see cref="AgentReplies.AgentSelected"/> or <see cref="AgentReplies.NoAgentAvailable"/> with the reason.</summary>
    public sealed record SelectAgent(string TaskKey, string Kind, IReadOnlyList<string> Capabilities, string? Role = null) : IClusterMessage;

    /// <summary>Assigns a task to a named agent by hand (its capabilities are not checked; its model must be alive and a
    /// slot free). Answered <see cref="AgentReplies.AgentSelected"/> or <see cref="AgentReplies.AgentRefused"/>.</summary>
    public sealed record AssignTask(string TaskKey, string Agent, string Kind) : IClusterMessage;

    /// <summary>Frees the slot a task held without an outcome (cancelled); answered <see cref="AgentReplies.TaskReleased"/>.</summary>
    public sealed record ReleaseTask(string TaskKey) : IClusterMessage;

    /// <summary>What a session tells the registry of an event it wrote, and tells again after a crash (it cannot know
    /// whether its first report arrived): the registry counts each report once, by <see cref="Key"/>.</summary>
    public interface IAgentReport : IClusterMessage
    {
        /// <summary>What the report is of, unique in the cluster; null for a report that is never told twice.</summary>
        string? Key { get; }

        /// <summary>When what it reports happened.</summary>
        DateTimeOffset At { get; }
    }

    /// <summary>The outcome of one attempt by <see cref="Agent"/> (a registered name, or a role sessions report by) at a
    /// kind of task: updates the learned performance and frees the slot of <see cref="TaskKey"/>. Told, not answered.</summary>
    public sealed record RecordTaskOutcome(
        string Agent, string Kind, string TaskKey, bool Success, TimeSpan Duration, long Tokens, DateTimeOffset At) : IAgentReport
    {
        /// <inheritdoc />
        string? IAgentReport.Key => TaskKey;
    }

    /// <summary>A scorer's verdict (0 to 1) on an output of <see cref="Agent"/> at a kind of task. Told, not answered.
    /// <see cref="VerdictKey"/> names the verdict (a session's: the scored attempt and the iteration), so one told again
    /// is counted once; without it (a council's critique score, told once) it is counted as it comes.</summary>
    public sealed record RecordQuality(string Agent, string Kind, double Quality, DateTimeOffset At, string? VerdictKey = null) : IAgentReport
    {
        /// <inheritdoc />
        string? IAgentReport.Key => VerdictKey;
    }

    /// <summary>Subscribes the sender to the registry: answered with the whole registry (in
    /// <see cref="AgentSnapshots.AgentRegistryCopy"/> parts, one after the other), then told every event the registry
    /// writes, in order, until the subscriber stops. Each node's decision engine keeps its copy so, and asks nothing per dispatch.</summary>
    public sealed record SubscribeAgents : IClusterMessage
    {
        /// <summary>The one instance.</summary>
        public static SubscribeAgents Instance { get; } = new();
    }

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("subscribe-agents.v1", typeof(SubscribeAgents)),
        new("register-agent.v1", typeof(RegisterAgent)),
        new("update-agent.v1", typeof(UpdateAgent)),
        new("remove-agent.v1", typeof(RemoveAgent)),
        new("select-agent.v1", typeof(SelectAgent)),
        new("assign-task.v1", typeof(AssignTask)),
        new("release-task.v1", typeof(ReleaseTask)),
        new("record-task-outcome.v1", typeof(RecordTaskOutcome)),
        new("record-quality.v1", typeof(RecordQuality)),
    ];
}
