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

    /// <summary>Part <paramref name="Part"/> (from 0) of the registry's copy for a subscriber (a node's decision engine):
    /// agents, learned performance and the tasks holding slots, in as many parts as it takes for each to cross remoting in
    /// one frame, sent one after the other; <paramref name="Last"/> on the last (<see cref="Join"/> puts them together).</summary>
    public sealed record AgentRegistryCopy(
        int Part,
        bool Last,
        IReadOnlyList<AgentProfile> Agents,
        IReadOnlyList<AgentKindPerformance> Performance,
        IReadOnlyList<AgentAssignment> Assignments) : IClusterMessage;

    /// <summary>The copy the <paramref name="parts"/> (in order, the last one last) make, as a snapshot without the
    /// recent outcomes (a subscriber does not count outcomes).</summary>
    public static AgentRegistrySnapshot Join(IReadOnlyList<AgentRegistryCopy> parts) => new(
        [.. parts.SelectMany(p => p.Agents)], [.. parts.SelectMany(p => p.Performance)], [.. parts.SelectMany(p => p.Assignments)]);

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("agent-registry-snapshot.v1", typeof(AgentRegistrySnapshot)),
        new("agent-registry-copy.v1", typeof(AgentRegistryCopy)),
    ];
}

public sealed partial record AgentRegistryState
{
    /// <summary>This state as a snapshot.</summary>
    public AgentSnapshots.AgentRegistrySnapshot ToSnapshot() => new(
        Agents.Values.ToList(),
        OrderedPerformance().ToList(),
        Assignments.Values.OrderBy(a => a.TaskKey, StringComparer.Ordinal).ToList(),
        RecentOutcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new AgentSnapshots.RecordedOutcome(kv.Key, kv.Value)).ToList());

    /// <summary>This state as a subscriber's copy (<see cref="AgentSnapshots.AgentRegistryCopy"/>), in parts of at most
    /// <paramref name="size"/> each (a part holds one item at least).</summary>
    public IReadOnlyList<AgentSnapshots.AgentRegistryCopy> ToCopy(ReplyPageSize size)
    {
        var parts = new List<AgentSnapshots.AgentRegistryCopy>();
        List<AgentProfile> agents = [];
        List<AgentKindPerformance> performance = [];
        List<AgentAssignment> assignments = [];
        long used = 0;

        void Close(bool last)
        {
            parts.Add(new AgentSnapshots.AgentRegistryCopy(parts.Count, last, agents, performance, assignments));
            (agents, performance, assignments, used) = ([], [], [], 0);
        }

        // Makes room for an item of `chars`: a part that holds something and would grow past the size is closed first.
        void Room(long chars)
        {
            if (used + chars > size.MaxChars && agents.Count + performance.Count + assignments.Count > 0) Close(last: false);
            used += chars;
        }

        foreach (var agent in Agents.Values)
        {
            Room(AgentChars.Of(agent));
            agents.Add(agent);
        }
        foreach (var entry in OrderedPerformance())
        {
            Room(AgentChars.Of(entry));
            performance.Add(entry);
        }
        foreach (var assignment in Assignments.Values.OrderBy(a => a.TaskKey, StringComparer.Ordinal))
        {
            Room(AgentChars.Of(assignment));
            assignments.Add(assignment);
        }
        Close(last: true);
        return parts;
    }

    /// <summary>Learned performance by agent then kind.</summary>
    private IEnumerable<AgentKindPerformance> OrderedPerformance() =>
        Stats.OrderBy(kv => kv.Key.Agent, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind, StringComparer.Ordinal)
            .Select(kv => new AgentKindPerformance(kv.Key.Agent, kv.Key.Kind, kv.Value));

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
