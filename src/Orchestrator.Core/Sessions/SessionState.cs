using System.Collections.Immutable;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Workflows;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>A session as a pure fold over its events (<see cref="Apply"/>), with the indexes the decision engine needs
/// kept incrementally: the ready set by priority, the retry queue by time, tasks to skip, tasks in flight. Applying the
/// same events always gives the same state; an event that does not fit the state (a stale attempt) changes nothing.</summary>
internal sealed partial record SessionState
{
    public string SessionId { get; init; } = "";
    public SessionLifecycle Lifecycle { get; init; } = SessionLifecycle.New;
    public ResolvedWorkflow? Workflow { get; init; }
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = ImmutableDictionary<string, string>.Empty;
    public DateTimeOffset? CreatedAt { get; init; }
    public int Iteration { get; init; }
    public DateTimeOffset? IterationStartedAt { get; init; }
    public long TokensUsed { get; init; }
    public long IterationTokens { get; init; }
    public int IterationTasksRun { get; init; }
    public int IterationTasksFailed { get; init; }
    public int SessionRetriesUsed { get; init; }
    public int Warnings { get; init; }
    public long ReadyCounter { get; init; }
    public ImmutableDictionary<string, TaskState> Tasks { get; init; } = ImmutableDictionary<string, TaskState>.Empty.WithComparers(StringComparer.Ordinal);
    public ImmutableDictionary<string, ImmutableList<string>> Dependents { get; init; } = ImmutableDictionary<string, ImmutableList<string>>.Empty.WithComparers(StringComparer.Ordinal);
    public ImmutableSortedSet<ReadyEntry> Ready { get; init; } = ImmutableSortedSet<ReadyEntry>.Empty;
    public ImmutableSortedSet<RetryEntry> RetryQueue { get; init; } = ImmutableSortedSet<RetryEntry>.Empty;
    public ImmutableSortedDictionary<string, string> PendingSkips { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
    public ImmutableHashSet<string> InFlight { get; init; } = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);
    public ImmutableDictionary<string, DateTimeOffset> LastDispatchByModel { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Skipped { get; init; }
    public ImmutableList<IterationMetrics> History { get; init; } = [];
    public double? BestScore { get; init; }
    public int IterationsWithoutImprovement { get; init; }
    public double? FinalScore { get; init; }
    public string? EndReason { get; init; }
    /// <summary>Ready tasks held back by a resource conflict, and the task that holds them back (so that a conflict is
    /// recorded once, not at every decision). Not in snapshots: after a recovery a conflict may be recorded again.</summary>
    public ImmutableDictionary<string, string> ConflictHolds { get; init; } = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The state of a session that has no event yet.</summary>
    public static SessionState Empty(string sessionId) => new() { SessionId = sessionId };

    public SessionSettings Settings => Workflow?.Settings ?? SessionSettings.Defaults;

    /// <summary>Every task is succeeded, failed or skipped.</summary>
    public bool IsDagDone => Tasks.Count > 0 && Succeeded + Failed + Skipped == Tasks.Count;

    /// <summary>Completed, failed or cancelled.</summary>
    public bool IsFinished => Lifecycle.IsFinished();

    /// <summary>Folds many events: the same state as applying them one by one, but a run of dispatches and successes
    /// (a fan-out's step) goes through one <see cref="SessionStateEditor"/>, so its indexes are copied once, not per event.</summary>
    public SessionState ApplyAll(IEnumerable<IPersistedEvent> events)
    {
        var state = this;
        SessionStateEditor? run = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case TaskDispatched d:
                    (run ??= new SessionStateEditor(state)).Dispatch(d);
                    break;
                case TaskSucceeded s:
                    (run ??= new SessionStateEditor(state)).Succeed(s);
                    break;
                case DecisionRecorded:
                    break; // analytics only: it changes no state
                default:
                    if (run is not null)
                    {
                        state = run.Build();
                        run = null;
                    }
                    state = state.Apply(e);
                    break;
            }
        }
        return run?.Build() ?? state;
    }

    /// <summary>The state after <paramref name="e"/>; events of other protocols leave it as it is.</summary>
    public SessionState Apply(IPersistedEvent e) => e switch
    {
        SessionCreated c when Lifecycle == SessionLifecycle.New => this with
        {
            SessionId = c.SessionId, Lifecycle = SessionLifecycle.Running, Workflow = c.Workflow, Inputs = c.Inputs,
            CreatedAt = c.At, Iteration = 1, IterationStartedAt = c.At,
        },
        PlanAccepted p when Workflow is not null => ApplyPlan(p),
        TaskDispatched d => ApplyDispatched(d),
        TaskSucceeded s => ApplySucceeded(s),
        TaskFailed f => ApplyFailed(f),
        TaskSkipped k => ApplySkipped(k),
        IterationStarted i when i.Iteration > Iteration => ApplyIterationStarted(i),
        IterationCompleted i => ApplyIterationCompleted(i),
        ProtocolWarning => this with { Warnings = Warnings + 1 },
        ConflictDetected c when Tasks.ContainsKey(c.TaskId) => this with { ConflictHolds = ConflictHolds.SetItem(c.TaskId, c.BlockedBy) },
        SessionPaused when Lifecycle == SessionLifecycle.Running => this with { Lifecycle = SessionLifecycle.Paused },
        SessionResumed when Lifecycle == SessionLifecycle.Paused => this with { Lifecycle = SessionLifecycle.Running },
        SessionCancelled c when !IsFinished && Lifecycle != SessionLifecycle.New =>
            this with { Lifecycle = SessionLifecycle.Cancelled, EndReason = c.Reason },
        SessionCompleted c when !IsFinished && Lifecycle != SessionLifecycle.New =>
            this with { Lifecycle = SessionLifecycle.Completed, FinalScore = c.FinalScore, EndReason = c.Reason },
        SessionFailed f when !IsFinished && Lifecycle != SessionLifecycle.New =>
            this with { Lifecycle = SessionLifecycle.Failed, EndReason = f.Reason },
        _ => this,
    };

    /// <summary>After recovery no worker runs: tasks that were dispatched but never finished become ready again (in
    /// their first order), keeping their attempt count; a crash is not a failure, so no retry is spent. Not an event:
    /// it happens again on every replay; once the next <see cref="TaskDispatched"/> is applied the state is the same as
    /// a plain replay of the journal gives.</summary>
    public SessionState RequeueInFlight()
    {
        if (InFlight.IsEmpty) return this;
        var edit = new SessionStateEditor(this);
        foreach (var task in InFlight.Select(id => Tasks[id]).OrderBy(t => t.Order))
        {
            edit.InFlight.Remove(task.Spec.Id);
            edit.Tasks[task.Spec.Id] = task with { State = TaskRunState.Ready };
            edit.Ready.Add(new ReadyEntry(task.Spec.Priority, task.ReadySequence, task.Spec.Id));
        }
        return edit.Build();
    }

    private SessionState ApplyPlan(PlanAccepted p)
    {
        var edit = new SessionStateEditor(this);
        var added = new List<TaskState>();
        foreach (var spec in p.Tasks)
        {
            if (edit.Tasks.ContainsKey(spec.Id)) continue;
            var task = new TaskState(spec, TaskRunState.Pending, edit.Tasks.Count);
            edit.Tasks[spec.Id] = task;
            added.Add(task);
            foreach (var dep in spec.DependsOn) edit.AddDependent(dep, spec.Id);
        }
        if (p.ExpandedFrom is { } prototypeId && edit.Tasks.TryGetValue(prototypeId, out var prototype)
            && prototype.State == TaskRunState.Pending)
        {
            // Whatever waited for the prototype now also waits for each instance; the prototype itself is done.
            var ids = added.Select(t => t.Spec.Id).ToList();
            foreach (var dependentId in edit.DependentsOf(prototypeId))
            {
                var d = edit.Tasks[dependentId];
                edit.Tasks[dependentId] = d with
                {
                    Spec = d.Spec with { DependsOn = [.. d.Spec.DependsOn, .. ids] },
                    PendingDependencies = d.PendingDependencies + ids.Count,
                };
                foreach (var id in ids) edit.AddDependent(id, dependentId);
            }
            edit.Tasks[prototypeId] = prototype with { State = TaskRunState.Succeeded, Output = $"expanded into {ids.Count} tasks" };
            edit.Succeeded++;
            edit.Release(prototypeId);
        }
        foreach (var task in added)
        {
            var pending = 0;
            string? poison = null;
            foreach (var dep in task.Spec.DependsOn)
            {
                var state = edit.Tasks.TryGetValue(dep, out var d) ? d.State : TaskRunState.Failed;
                if (state != TaskRunState.Succeeded) pending++;
                if (state is TaskRunState.Failed or TaskRunState.Skipped) poison ??= $"input '{dep}' {state.ToString().ToLowerInvariant()}";
            }
            var current = edit.Tasks[task.Spec.Id] with { PendingDependencies = pending };
            edit.Tasks[task.Spec.Id] = current;
            if (poison is not null) edit.PendingSkips[task.Spec.Id] = poison;
            else if (pending == 0) edit.MakeReady(current);
        }
        return edit.Build();
    }

    private SessionState ApplyDispatched(TaskDispatched d)
    {
        var edit = new SessionStateEditor(this);
        return edit.Dispatch(d) ? edit.Build() : this;
    }

    private bool IsCurrentAttempt(string taskId, int attempt, out TaskState task) =>
        Tasks.TryGetValue(taskId, out task!) && task.State == TaskRunState.Dispatched && task.Attempt == attempt;

    private SessionState ApplySucceeded(TaskSucceeded s)
    {
        var edit = new SessionStateEditor(this);
        return edit.Succeed(s) ? edit.Build() : this;
    }

    private SessionState ApplyFailed(TaskFailed f)
    {
        if (!IsCurrentAttempt(f.TaskId, f.Attempt, out var task)) return this;
        var edit = new SessionStateEditor(this);
        edit.InFlight.Remove(f.TaskId);
        var failures = task.Failures + 1;
        var retryAt = Decisions.RetryPolicy.RetryAt(f.Retryable, failures, task.Spec.Retries, SessionRetriesUsed, Settings, f.At);
        var retries = SessionRetriesUsed;
        if (retryAt is { } at)
        {
            edit.Tasks[f.TaskId] = task with { State = TaskRunState.RetryWaiting, Failures = failures, RetryAt = at, LastError = f.Reason };
            edit.RetryQueue.Add(new RetryEntry(at, task.Spec.Priority, f.TaskId));
            retries++;
        }
        else
        {
            edit.Tasks[f.TaskId] = task with { State = TaskRunState.Failed, Failures = failures, LastError = f.Reason };
            edit.Failed++;
            edit.Poison(f.TaskId, $"input '{f.TaskId}' failed: {f.Reason}");
        }
        return edit.Build() with
        {
            SessionRetriesUsed = retries, TokensUsed = TokensUsed + f.Tokens, IterationTokens = IterationTokens + f.Tokens,
            IterationTasksRun = IterationTasksRun + 1, IterationTasksFailed = IterationTasksFailed + (retryAt is null ? 1 : 0),
        };
    }

    private SessionState ApplySkipped(TaskSkipped k)
    {
        if (!Tasks.TryGetValue(k.TaskId, out var task)
            || task.State is not (TaskRunState.Pending or TaskRunState.Ready or TaskRunState.RetryWaiting))
            return this;
        var edit = new SessionStateEditor(this);
        edit.Unqueue(task);
        edit.PendingSkips.Remove(k.TaskId);
        edit.Tasks[k.TaskId] = task with { State = TaskRunState.Skipped, LastError = k.Reason };
        edit.Skipped++;
        edit.Poison(k.TaskId, $"input '{k.TaskId}' skipped");
        return edit.Build();
    }

    private SessionState ApplyIterationStarted(IterationStarted i)
    {
        var edit = new SessionStateEditor(this);
        var closure = edit.Downstream(i.TaskIds.Where(edit.Tasks.ContainsKey));
        foreach (var id in closure)
        {
            var task = edit.Tasks[id];
            if (task.Spec.IsPrototype || !task.IsTerminal) continue;
            edit.Uncount(task.State);
            edit.PendingSkips.Remove(id);
            edit.Tasks[id] = task with
            {
                State = TaskRunState.Pending, Failures = 0, Output = null, LastError = null, RetryAt = null,
                Critique = i.Critiques.GetValueOrDefault(id),
            };
        }
        foreach (var id in closure)
        {
            var task = edit.Tasks[id];
            if (task.State != TaskRunState.Pending) continue;
            var pending = task.Spec.DependsOn.Count(dep => edit.Tasks[dep].State != TaskRunState.Succeeded);
            task = task with { PendingDependencies = pending };
            edit.Tasks[id] = task;
            if (pending == 0) edit.MakeReady(task);
        }
        return edit.Build() with
        {
            Iteration = i.Iteration, IterationStartedAt = i.At, IterationTokens = 0, IterationTasksRun = 0, IterationTasksFailed = 0,
        };
    }

    private SessionState ApplyIterationCompleted(IterationCompleted i)
    {
        var score = i.Metrics.Score;
        var improved = score is { } s && (BestScore is not { } best || s > best + IterationPolicy.MinImprovement);
        return this with
        {
            History = History.Add(i.Metrics),
            BestScore = improved ? score : BestScore,
            IterationsWithoutImprovement = improved ? 0 : IterationsWithoutImprovement + 1,
        };
    }
}
