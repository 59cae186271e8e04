using System.Collections.Immutable;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Core.Agents;

/// <summary>The snapshot of the agent registry: <see cref="AgentRegistryState"/> as plain data, in a fixed order.</summary>
public static class AgentSnapshots
{
    /// <summary>Agents, learned performance and the tasks holding slots.</summary>
    public sealed record AgentRegistrySnapshot(
        IReadOnlyList<AgentProfile> Agents,
        IReadOnlyList<AgentKindPerformance> Performance,
        IReadOnlyList<AgentAssignment> Assignments) : ISnapshotState;

    internal static IEnumerable<MessageManifest> Manifests => [new("agent-registry-snapshot.v1", typeof(AgentRegistrySnapshot))];
}

public sealed partial record AgentRegistryState
{
    /// <summary>This state as a snapshot.</summary>
    public AgentSnapshots.AgentRegistrySnapshot ToSnapshot() => new(
        Agents.Values.ToList(),
        Stats.OrderBy(kv => kv.Key.Agent, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind, StringComparer.Ordinal)
            .Select(kv => new AgentKindPerformance(kv.Key.Agent, kv.Key.Kind, kv.Value)).ToList(),
        Assignments.Values.OrderBy(a => a.TaskKey, StringComparer.Ordinal).ToList());

    /// <summary>The state a snapshot holds.</summary>
    public static AgentRegistryState FromSnapshot(AgentSnapshots.AgentRegistrySnapshot s, double alpha) => new()
    {
        Alpha = alpha,
        Agents = s.Agents.ToImmutableSortedDictionary(a => a.Name, a => a, StringComparer.Ordinal),
        Stats = s.Performance.ToImmutableDictionary(p => new AgentKind(p.Agent, p.Kind), p => p.Stats),
        Assignments = s.Assignments.ToImmutableDictionary(a => a.TaskKey, a => a, StringComparer.Ordinal),
        InFlight = s.Assignments.GroupBy(a => a.Agent, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
    };
}
