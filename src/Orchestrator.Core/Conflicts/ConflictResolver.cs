namespace Orchestrator.Core.Conflicts;

/// <summary>A task competing for a resource: its priority, when it became ready (a lower sequence waited longer), and
/// whether it is already running.</summary>
public sealed record ConflictParty(string TaskId, int Priority, long ReadySequence, bool Running = false);

/// <summary>Which of two conflicting tasks goes first and why.</summary>
public sealed record ConflictResolution(ConflictParty Winner, ConflictParty Loser, string Reason);

/// <summary>Decides between two tasks whose resource scopes overlap: a running task keeps its resources (nothing is
/// preempted); otherwise the higher priority goes first, then the one that has waited longer (its ready sequence),
/// then, for a deterministic answer, the task id.</summary>
public static class ConflictResolver
{
    /// <summary>Resolves the conflict between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static ConflictResolution Resolve(ConflictParty a, ConflictParty b)
    {
        if (a.Running != b.Running)
        {
            var (running, waiting) = a.Running ? (a, b) : (b, a);
            return new(running, waiting, $"'{running.TaskId}' is running");
        }
        if (a.Priority != b.Priority)
        {
            var (high, low) = a.Priority > b.Priority ? (a, b) : (b, a);
            return new(high, low, $"priority {high.Priority} of '{high.TaskId}' over {low.Priority}");
        }
        if (a.ReadySequence != b.ReadySequence)
        {
            var (old, young) = a.ReadySequence < b.ReadySequence ? (a, b) : (b, a);
            return new(old, young, $"same priority; '{old.TaskId}' waited longer");
        }
        var (first, second) = string.CompareOrdinal(a.TaskId, b.TaskId) <= 0 ? (a, b) : (b, a);
        return new(first, second, $"same priority and age; '{first.TaskId}' by id");
    }

    /// <summary>The first pair of overlapping scopes of two declarations, or null when they are disjoint.</summary>
    public static (ResourceScope Mine, ResourceScope Theirs)? FirstOverlap(
        IReadOnlyList<ResourceScope> mine, IReadOnlyList<ResourceScope> theirs)
    {
        foreach (var m in mine)
            foreach (var t in theirs)
                if (m.Overlaps(t)) return (m, t);
        return null;
    }
}
