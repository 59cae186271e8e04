using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Conflicts;

/// <summary>The resources held during one decision: those of the session's tasks in flight, then of each task the
/// decision chooses. A candidate whose scopes overlap a holder's is held back, and the conflict is described by
/// <see cref="ConflictResolver"/>. Built only when a candidate declares resources, so sessions without them pay nothing;
/// a check costs O(holders × scopes), and holders are bounded by the session's concurrency.</summary>
internal sealed class ResourceGuard
{
    private readonly List<(ConflictParty Party, IReadOnlyList<ResourceScope> Scopes)> _holders = [];

    /// <summary>A guard holding the resources of <paramref name="state"/>'s tasks in flight.</summary>
    internal static ResourceGuard Of(SessionState state)
    {
        var guard = new ResourceGuard();
        foreach (var id in state.InFlight)
            if (state.Tasks.TryGetValue(id, out var task)) guard.Hold(task, running: true);
        return guard;
    }

    /// <summary>The conflict that holds <paramref name="task"/> back, or null when its resources are free.</summary>
    internal ConflictDetected? Check(SessionId sessionId, TaskState task, DateTimeOffset now)
    {
        var scopes = ScopesOf(task);
        if (scopes.Count == 0) return null;
        var candidate = Party(task, running: false);
        foreach (var (holder, held) in _holders)
        {
            if (ConflictResolver.FirstOverlap(scopes, held) is not var (mine, theirs)) continue;
            var resolution = ConflictResolver.Resolve(holder, candidate);
            // The holder was chosen earlier in this decision; if the rule would have preferred the candidate (a due retry
            // of the same priority went first), the dispatch order stands and says so.
            var reason = resolution.Winner.TaskId == holder.TaskId ? resolution.Reason : $"'{holder.TaskId}' was dispatched first";
            return new ConflictDetected(sessionId, task.Spec.Id, TaskId.Parse(holder.TaskId), $"{mine} ~ {theirs}", reason, now);
        }
        return null;
    }

    /// <summary>Marks <paramref name="task"/>'s resources as taken.</summary>
    internal void Hold(TaskState task, bool running = false)
    {
        var scopes = ScopesOf(task);
        if (scopes.Count > 0) _holders.Add((Party(task, running), scopes));
    }

    private static ConflictParty Party(TaskState task, bool running) =>
        new(task.Spec.Id.Value, task.Spec.Priority, task.ReadySequence, running);

    private static IReadOnlyList<ResourceScope> ScopesOf(TaskState task) =>
        task.Spec.Resources is { Count: > 0 } r ? r.Select(ResourceScope.Lenient).ToList() : [];
}
