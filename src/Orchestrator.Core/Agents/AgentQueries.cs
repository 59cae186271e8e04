using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Agents;

/// <summary>Questions for the agent registry, for the API and <c>orch agents</c>.</summary>
public static class AgentQueries
{
    /// <summary>The registered agents with their health and workload, by name, from the first after
    /// <paramref name="After"/> (null: from the first) as many as one reply carries; answered
    /// <see cref="AgentReplies.AgentList"/>, whose <c>Next</c> is where the next page starts.</summary>
    public sealed record ListAgents(string? After = null) : IClusterMessage;

    /// <summary>One agent; answered <see cref="AgentReplies.AgentStatus"/> or <see cref="AgentReplies.AgentNotFound"/>.</summary>
    public sealed record GetAgent(string Name) : IClusterMessage;

    /// <summary>Learned performance per agent and task kind, optionally of one agent or one kind (kind <c>*</c> is an
    /// agent's overall figures), by agent then kind, from the first after (<paramref name="AfterAgent"/>,
    /// <paramref name="AfterKind"/>) (null: from the first) as many as one reply carries; answered
    /// <see cref="AgentReplies.AgentAnalytics"/>, whose <c>NextAgent</c> and <c>NextKind</c> are where the next page starts.</summary>
    public sealed record GetAgentAnalytics(string? Agent = null, string? Kind = null, string? AfterAgent = null, string? AfterKind = null)
        : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("list-agents.v1", typeof(ListAgents)),
        new("get-agent.v1", typeof(GetAgent)),
        new("get-agent-analytics.v1", typeof(GetAgentAnalytics)),
    ];
}
