using System.Collections.Immutable;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Core.Agents;

/// <summary>The snapshot of the agent registry: <see cref="AgentRegistryState"/> as plain data, in a fixed order.</summary>
public static class AgentSnapshots
{
    /// <summary>Agents, learned performance, the tasks holding slots, and the outcomes recently recorded (absent from
    /// snapshots written before they were kept).</summary>
    public sealed record AgentRegistrySnapshot(
        IReadOnlyList<AgentProfile> Agents,
        IReadOnlyList<AgentKindPerformance> Performance,
        IReadOnlyList<AgentAssignment> Assignments,
        IReadOnlyList<RecordedOutcome>? RecentOutcomes = null) : ISnapshotState;

    /// <summary>An outcome the registry recorded: its attempt key and when it happened.</summary>
    public sealed record RecordedOutcome(string TaskKey, DateTimeOffset At);

    internal static IEnumerable<MessageManifest> Manifests => [new("agent-registry-snapshot.v1", typeof(AgentRegistrySnapshot))];
}

public sealed partial record AgentRegistryState
{
    /// <summary>This state as a snapshot.</summary>
    public AgentSnapshots.AgentRegistrySnapshot ToSnapshot() => new(
        Agents.Values.ToList(),
        Stats.OrderBy(kv => kv.Key.Agent, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind, StringComparer.Ordinal)
            .Select(kv => new AgentKindPerformance(kv.Key.Agent, kv.Key.Kind, kv.Value)).ToList(),
        Assignments.Values.OrderBy(a => a.TaskKey, StringComparer.Ordinal).ToList(),
        RecentOutcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new AgentSnapshots.RecordedOutcome(kv.Key, kv.Value)).ToList());

    /// <summary>The state a snapshot holds.</summary>
    public static AgentRegistryState FromSnapshot(AgentSnapshots.AgentRegistrySnapshot s, double alpha) => new()
    {
        Alpha = alpha,
        Agents = s.Agents.ToImmutableSortedDictionary(a => a.Name, a => a, StringComparer.Ordinal),
        Stats = s.Performance.ToImmutableDictionary(p => new AgentKind(p.Agent, p.Kind), p => p.Stats),
        Assignments = s.Assignments.ToImmutableDictionary(a => a.TaskKey, a => a, StringComparer.Ordinal),
        InFlight = s.Assignments.GroupBy(a => a.Agent, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        RecentOutcomes = (s.RecentOutcomes ?? []).ToImmutableDictionary(o => o.TaskKey, o => o.At, StringComparer.Ordinal),
        LatestOutcomeAt = s.RecentOutcomes is { Count: > 0 } recent ? recent.Max(o => o.At) : default,
    };
}
