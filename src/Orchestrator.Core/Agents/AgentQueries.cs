using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Agents;

/// <summary>Questions for the agent registry, for the API and <c>orch agents</c>.</summary>
public static class AgentQueries
{
    /// <summary>Every registered agent with its health and workload; answered <see cref="AgentReplies.AgentList"/>.</summary>
    public sealed record ListAgents : IClusterMessage;

    /// <summary>One agent; answered <see cref="AgentReplies.AgentStatus"/> or <see cref="AgentReplies.AgentNotFound"/>.</summary>
    public sealed record GetAgent(string Name) : IClusterMessage;

    /// <summary>Learned performance per agent and task kind, optionally of one agent or one kind (kind <c>*</c> is an
    /// agent's overall figures); answered <see cref="AgentReplies.AgentAnalytics"/>.</summary>
    public sealed record GetAgentAnalytics(string? Agent = null, string? Kind = null) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("list-agents.v1", typeof(ListAgents)),
        new("get-agent.v1", typeof(GetAgent)),
        new("get-agent-analytics.v1", typeof(GetAgentAnalytics)),
    ];
}
