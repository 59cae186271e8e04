using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Core.Agents;

/// <summary>The characters the agent registry's replies count for against a <see cref="Messaging.ReplyPageSize"/>: an
/// item's text, and a fixed allowance for its field names and figures.</summary>
public static class AgentChars
{
    /// <summary>An agent's profile.</summary>
    public static long Of(AgentProfile agent) =>
        128 + agent.Name.Length + agent.Role.Length + agent.Model.Length + agent.Capabilities.Sum(c => c.Length + 3L)
        + agent.Specialization.Sum(s => s.Key.Length + 32L);

    /// <summary>An agent with its health, workload and overall figures.</summary>
    public static long Of(AgentStatus status) => Of(status.Agent) + 256;

    /// <summary>One agent's learned figures at one kind of task.</summary>
    public static long Of(AgentKindPerformance performance) => 256 + performance.Agent.Length + performance.Kind.Length;

    /// <summary>A task holding a slot of an agent.</summary>
    public static long Of(AgentAssignment assignment) => 96 + assignment.TaskKey.Length + assignment.Agent.Length + assignment.Kind.Length;
}
