using Orchestrator.Core.Conflicts;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Decisions;

/// <summary>A session's dispatch planner: from its state, the node's grants and the time, the next actions.
/// Skips every task whose inputs failed (cascading, with the reason); goes through ready tasks and due retries by
/// priority, then the longest ready, within the session's limit and the spacing between dispatches to one model:
/// dispatches those the node granted (on the grant's agent and model) and lists the others as wanted (to ask the node's
/// decision engine for);
/// never two tasks whose resource scopes overlap (a conflict is recorded once, with how it was resolved);
/// records what was chosen and what was held back and why. A step costs O((k + window) log n) for k dispatches, never
/// O(n): the state keeps its ready set, retry queue and tasks to skip incrementally.</summary>
internal static class DispatchPlanner
{
    internal static DecisionOutcome Next(SessionState state, DecisionContext context)
    {
        var now = context.Now;
        var held = new HeldBackTally(context.ExamplesPerReason);
        var skips = Skips(state, now);
        var dispatches = new List<TaskDispatched>();
        var wanted = new List<DispatchCandidate>();
        var conflicts = new List<ConflictDetected>();
        ResourceGuard? guard = null;
        DateTimeOffset? wake = null;
        string? budget = null;

        if (state.Lifecycle != SessionLifecycle.Running)
        {
            held.AddMany(HeldBackReasons.Paused, state.Ready.Select(r => r.TaskId), state.Ready.Count);
            return Outcome();
        }
        budget = BudgetSpent(state, now);
        if (budget is not null)
        {
            held.AddMany(HeldBackReasons.Budget, state.Ready.Select(r => r.TaskId), state.Ready.Count);
            return Outcome();
        }

        var settings = state.Settings;
        var slots = Math.Max(0, settings.MaxConcurrentTasks - state.InFlight.Count);

        // Most steps have no retry waiting: then the queue is not walked, sorted or counted at all.
        var retrying = !state.RetryQueue.IsEmpty;
        var dueRetries = retrying
            ? state.RetryQueue.TakeWhile(r => r.At <= now).Take(slots + context.ScanWindow)
                .OrderBy(r => -r.Priority).ThenBy(r => r.At).ThenBy(r => r.TaskId)
                .Select(r => (r.Priority, r.TaskId)).ToList()
            : [];
        var candidates = Merge(dueRetries, state.Ready.Select(r => (r.Priority, r.TaskId)));
        var due = retrying ? state.RetryQueue.TakeWhile(r => r.At <= now).Count() : 0;
        var total = state.Ready.Count + due;

        var spacing = settings.DispatchSpacing;
        var lastByModel = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var examined = 0;
        var blocked = 0;
        foreach (var (_, taskId) in candidates)
        {
            if (slots == 0 || blocked >= context.ScanWindow) break;
            examined++;
            var task = state.Tasks[taskId];
            if (task.Spec.Resources is { Count: > 0 } && (guard ??= ResourceGuard.Of(state)).Check(state.Id, task, now) is { } conflict)
            {
                held.Add(HeldBackReasons.Conflict, taskId);
                blocked++;
                if (!state.ConflictHolds.TryGetValue(taskId, out var holder) || holder != conflict.BlockedBy) conflicts.Add(conflict);
                continue;
            }
            var grant = context.Grants.GetValueOrDefault(taskId.Value) is { } g && g.Attempt == task.Attempt + 1 ? g : null;
            var model = grant?.Model ?? context.ModelOf(task.Spec.AgentRole);
            if (spacing > TimeSpan.Zero)
            {
                var last = lastByModel.TryGetValue(model, out var l) ? l
                    : state.LastDispatchByModel.TryGetValue(model, out var p) ? p : (DateTimeOffset?)null;
                if (last is { } at && at + spacing > now)
                {
                    held.Add(HeldBackReasons.Spacing, taskId);
                    blocked++;
                    wake = Earliest(wake, at + spacing);
                    continue;
                }
            }
            slots--;
            if (grant is null)
            {
                // Not granted yet: asked for, and held back meanwhile with the node's reason.
                wanted.Add(new DispatchCandidate(taskId.Value, task.Attempt + 1, task.Spec.AgentRole, task.Spec.Capabilities ?? [],
                    task.Spec.KindOrId, task.Spec.Priority));
                held.Add(context.Holds?.GetValueOrDefault(taskId.Value) ?? HeldBackReasons.NodeCapacity, taskId);
                continue;
            }
            dispatches.Add(new TaskDispatched(state.Id, taskId, grant.Attempt, model, now, grant.Agent));
            if (task.Spec.Resources is { Count: > 0 }) (guard ??= ResourceGuard.Of(state)).Hold(task);
            lastByModel[model] = now;
        }
        var notExamined = total - examined;
        if (notExamined > 0)
            held.AddMany(slots == 0 ? HeldBackReasons.Concurrency : HeldBackReasons.Spacing,
                candidates.Skip(examined).Select(c => c.TaskId), notExamined);

        var notDue = state.RetryQueue.Count - due;
        if (notDue > 0)
        {
            var first = state.RetryQueue.SkipWhile(r => r.At <= now).First();
            wake = Earliest(wake, first.At);
            held.AddMany(HeldBackReasons.BackOff, state.RetryQueue.SkipWhile(r => r.At <= now).Select(r => r.TaskId), notDue);
        }
        return Outcome();

        DecisionOutcome Outcome() => new(
            skips,
            dispatches,
            new DecisionRecorded(state.Id, dispatches.ConvertAll(d => d.TaskId), held.Examples, held.Counts, now),
            wake,
            budget,
            conflicts,
            wanted);
    }

    /// <summary>Every task to skip: those the state marked, and, transitively, whatever waits on them.</summary>
    private static List<TaskSkipped> Skips(SessionState state, DateTimeOffset now)
    {
        var skips = new List<TaskSkipped>();
        if (state.PendingSkips.IsEmpty) return skips;
        var seen = new HashSet<TaskId>();
        var queue = new Queue<(TaskId Id, string Reason)>();
        foreach (var (id, reason) in state.PendingSkips)
            if (seen.Add(id)) queue.Enqueue((id, reason));
        while (queue.Count > 0)
        {
            var (id, reason) = queue.Dequeue();
            skips.Add(new TaskSkipped(state.Id, id, reason, now));
            foreach (var d in state.Dependents.GetValueOrDefault(id, []))
                if (state.Tasks[d].State is TaskRunState.Pending && seen.Add(d)) queue.Enqueue((d, $"input '{id}' skipped"));
        }
        return skips;
    }

    private static string? BudgetSpent(SessionState state, DateTimeOffset now)
    {
        var s = state.Settings;
        if (s.TimeBudget is { } time && state.CreatedAt is { } created && now - created >= time) return $"time budget spent ({time})";
        if (s.TokenBudget is { } tokens && state.TokensUsed >= tokens) return $"token budget spent ({state.TokensUsed} of {tokens})";
        return null;
    }

    /// <summary>Merges two sequences each in priority order (higher first); on a tie the first sequence goes first.</summary>
    private static IEnumerable<(int Priority, TaskId TaskId)> Merge(
        List<(int Priority, TaskId TaskId)> first, IEnumerable<(int Priority, TaskId TaskId)> second)
    {
        var i = 0;
        foreach (var item in second)
        {
            while (i < first.Count && first[i].Priority >= item.Priority) yield return first[i++];
            yield return item;
        }
        while (i < first.Count) yield return first[i++];
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>Counts held-back tasks by reason and keeps a few examples of each.</summary>
    private sealed class HeldBackTally(int examplesPerReason)
    {
        private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);
        private readonly List<HeldBackTask> _examples = [];

        internal IReadOnlyDictionary<string, int> Counts => _counts;
        internal IReadOnlyList<HeldBackTask> Examples => _examples;

        public void Add(string reason, TaskId taskId) => AddMany(reason, [taskId], 1);

        internal void AddMany(string reason, IEnumerable<TaskId> taskIds, int count)
        {
            if (count <= 0) return;
            var have = _counts.GetValueOrDefault(reason);
            _counts[reason] = have + count;
            if (have < examplesPerReason)
                _examples.AddRange(taskIds.Take(examplesPerReason - have).Select(id => new HeldBackTask(id, reason)));
        }
    }
}
