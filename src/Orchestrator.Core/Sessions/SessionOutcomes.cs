using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>What happens to a task's attempts: dispatched, succeeded (its dependents released), failed (retried after
/// a back-off, or failed for good and its dependents to be skipped), skipped. An outcome of an attempt that is not the
/// one in flight changes nothing.</summary>
internal static class SessionOutcomes
{
    internal static SessionState ApplyDispatched(SessionState state, TaskDispatched d)
    {
        var edit = new SessionStateEditor(state);
        return edit.Dispatch(d) ? edit.Build() : state;
    }

    internal static SessionState ApplySucceeded(SessionState state, TaskSucceeded s)
    {
        var edit = new SessionStateEditor(state);
        return edit.Succeed(s) ? edit.Build() : state;
    }

    internal static SessionState ApplyFailed(SessionState state, TaskFailed f)
    {
        var edit = new SessionStateEditor(state);
        if (state.IsCurrentAttempt(f.TaskId, f.Attempt, out var task))
            edit.Settle(task);
        else if (IsRefusedBeforeDispatch(state, f, out task))
        {
            // No agent or model of the node can run it, or the node stopped during its attempts too often: the attempt
            // fails without a worker.
            edit.Unqueue(task);
            edit.InFlight.Remove(f.TaskId);
            task = task with { Attempt = f.Attempt };
        }
        else
            return state;
        var failures = task.Failures + 1;
        var retryAt = RetryPolicy.RetryAt(f.Retryable, failures, task.Spec.Retries, state.SessionRetriesUsed, state.Settings, f.At);
        var retries = state.SessionRetriesUsed;
        if (retryAt is { } at)
        {
            edit.Tasks[f.TaskId] = task with { State = TaskRunState.RetryWaiting, Failures = failures, RetryAt = at, LastError = f.Reason, Interruptions = 0 };
            edit.RetryQueue.Add(new RetryEntry(at, task.Spec.Priority, f.TaskId));
            retries++;
        }
        else
        {
            edit.Tasks[f.TaskId] = task with { State = TaskRunState.Failed, Failures = failures, LastError = f.Reason, Interruptions = 0 };
            edit.Failed++;
            edit.Poison(f.TaskId, $"input '{f.TaskId}' failed: {f.Reason}");
        }
        return edit.Build() with
        {
            SessionRetriesUsed = retries,
            TokensUsed = state.TokensUsed + f.Tokens,
            IterationTokens = state.IterationTokens + f.Tokens,
            IterationTasksRun = state.IterationTasksRun + 1,
            IterationTasksFailed = state.IterationTasksFailed + (retryAt is null ? 1 : 0),
        };
    }

    /// <summary>A failure of the next attempt of a task waiting to be dispatched: the node refused it. On replay the
    /// task may still show its cut-short attempt in flight: it was put back at a recovery, which is not an event.</summary>
    private static bool IsRefusedBeforeDispatch(SessionState state, TaskFailed f, out TaskState task) =>
        state.Tasks.TryGetValue(f.TaskId, out task!) && task.State is TaskRunState.Ready or TaskRunState.RetryWaiting or TaskRunState.Dispatched
        && f.Attempt == task.Attempt + 1 && !f.Retryable;

    internal static SessionState ApplySkipped(SessionState state, TaskSkipped k)
    {
        if (!state.Tasks.TryGetValue(k.TaskId, out var task)
            || task.State is not (TaskRunState.Pending or TaskRunState.Ready or TaskRunState.RetryWaiting))
            return state;
        var edit = new SessionStateEditor(state);
        edit.Unqueue(task);
        edit.PendingSkips.Remove(k.TaskId);
        edit.Tasks[k.TaskId] = task with { State = TaskRunState.Skipped, LastError = k.Reason };
        edit.Skipped++;
        edit.Poison(k.TaskId, $"input '{k.TaskId}' skipped");
        return edit.Build();
    }
}
