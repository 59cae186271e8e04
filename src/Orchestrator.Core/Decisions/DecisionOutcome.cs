using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Decisions;

/// <summary>The next actions of a session: skips (inputs failed), dispatches (granted tasks), and the analytics of the
/// decision; <see cref="Wanted"/> are the tasks it would dispatch next if the node granted them (to ask for).
/// <see cref="WakeAt"/> is when to decide again if nothing else happens (a back-off or spacing ends);
/// <see cref="BudgetSpent"/> says why nothing more may start.</summary>
internal sealed record DecisionOutcome(
    IReadOnlyList<TaskSkipped> Skips,
    IReadOnlyList<TaskDispatched> Dispatches,
    DecisionRecorded Record,
    DateTimeOffset? WakeAt,
    string? BudgetSpent,
    IReadOnlyList<ConflictDetected>? Conflicts = null,
    IReadOnlyList<DispatchCandidate>? Wanted = null)
{
    /// <summary>Something was chosen or skipped: worth persisting (a record of only held-back tasks is not).</summary>
    internal bool HasActions => Skips.Count > 0 || Dispatches.Count > 0 || Conflicts is { Count: > 0 };

    /// <summary>The events to persist in one write, in order: skips, dispatches, new conflicts, then the record when
    /// there were actions.</summary>
    internal IReadOnlyList<IPersistedEvent> Events =>
        HasActions ? [.. Skips, .. Dispatches, .. Conflicts ?? [], Record] : [];
}
