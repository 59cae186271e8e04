using System.Collections.Immutable;
using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>A session as one pure fold over its events (<see cref="Apply"/>): its lifecycle, plan and tasks with the
/// indexes the decision engine needs kept incrementally (the ready set by priority, the retry queue by time, tasks to
/// skip, tasks in flight), its iterations, its shared conversation and the transcripts of nodes still deliberating.
/// Applying the same events always gives the same state; an event that does not fit the state (a stale attempt)
/// changes nothing. What each kind of event does lives beside its concept: <see cref="SessionPlan"/>,
/// <see cref="SessionOutcomes"/>, <see cref="SessionIterations"/>; commands are decided by <see cref="SessionDecider"/>,
/// steps by <c>SessionStep</c>.</summary>
public sealed record SessionState
{
    /// <summary>The session's name: the id its entity was started for, which need not be a valid id (such an entity
    /// refuses every command, so it never has an event).</summary>
    public string SessionId { get; init; } = "";
    /// <summary>The session's id, for the events it writes: set by its <c>SessionCreated</c> (a default id before, which
    /// no event can be written with).</summary>
    public Ids.SessionId Id { get; init; }
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
    public ImmutableDictionary<TaskId, TaskState> Tasks { get; init; } = ImmutableDictionary<TaskId, TaskState>.Empty;
    public ImmutableDictionary<TaskId, ImmutableList<TaskId>> Dependents { get; init; } = ImmutableDictionary<TaskId, ImmutableList<TaskId>>.Empty;
    public ImmutableSortedSet<ReadyEntry> Ready { get; init; } = ImmutableSortedSet<ReadyEntry>.Empty;
    public ImmutableSortedSet<RetryEntry> RetryQueue { get; init; } = ImmutableSortedSet<RetryEntry>.Empty;
    public ImmutableSortedDictionary<TaskId, string> PendingSkips { get; init; } = ImmutableSortedDictionary<TaskId, string>.Empty;
    public ImmutableHashSet<TaskId> InFlight { get; init; } = ImmutableHashSet<TaskId>.Empty;
    /// <summary>Human nodes whose dependencies are done, by priority: their question is to be put to a person.</summary>
    public ImmutableSortedSet<ReadyEntry> Questions { get; init; } = ImmutableSortedSet<ReadyEntry>.Empty;
    /// <summary>Human nodes waiting for a person's answer (<see cref="TaskRunState.Waiting"/>).</summary>
    public ImmutableHashSet<TaskId> Awaiting { get; init; } = ImmutableHashSet<TaskId>.Empty;
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
    public ImmutableDictionary<TaskId, TaskId> ConflictHolds { get; init; } = ImmutableDictionary<TaskId, TaskId>.Empty;
    /// <summary>The conversation of the session's plain tasks (with <c>share-history</c>), which prompts are composed with.</summary>
    public SessionConversation Conversation { get; init; } = SessionConversation.Empty;
    /// <summary>The transcripts of council and group chat nodes still deliberating.</summary>
    public DeliberationTranscripts Transcripts { get; init; } = DeliberationTranscripts.Empty;

    /// <summary>The state of a session that has no event yet.</summary>
    public static SessionState Empty(string sessionId) => new() { SessionId = sessionId };

    /// <summary>The session's settings: its template's, or the defaults before it has one.</summary>
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
                    // The task exists before its success, so the conversation reads its role from the state before the run.
                    (run ??= new SessionStateEditor(state)).Succeed(s);
                    run.Conversation = run.Conversation.Apply(s, state.Tasks);
                    run.Transcripts = run.Transcripts.Apply(s);
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
    public SessionState Apply(IPersistedEvent e)
    {
        var next = e switch
        {
            SessionCreated c when Lifecycle == SessionLifecycle.New => this with
            {
                SessionId = c.SessionId.Value,
                Id = c.SessionId,
                Lifecycle = SessionLifecycle.Running,
                Workflow = c.Workflow,
                Inputs = c.Inputs,
                CreatedAt = c.At,
                Iteration = 1,
                IterationStartedAt = c.At,
            },
            PlanAccepted p when Workflow is not null => SessionPlan.Apply(this, p),
            TaskDispatched d => SessionOutcomes.ApplyDispatched(this, d),
            TaskSucceeded s => SessionOutcomes.ApplySucceeded(this, s),
            TaskFailed f => SessionOutcomes.ApplyFailed(this, f),
            TaskSkipped k => SessionOutcomes.ApplySkipped(this, k),
            HumanInputRequested r => SessionHumanInput.ApplyRequested(this, r),
            IterationStarted i when i.Iteration > Iteration => SessionIterations.ApplyStarted(this, i),
            IterationCompleted i => SessionIterations.ApplyCompleted(this, i),
            ProtocolWarning => this with { Warnings = Warnings + 1 },
            ConflictDetected c when Tasks.ContainsKey(c.TaskId) => this with { ConflictHolds = ConflictHolds.SetItem(c.TaskId, c.BlockedBy) },
            SessionPaused when Lifecycle == SessionLifecycle.Running => this with { Lifecycle = SessionLifecycle.Paused },
            SessionResumed when Lifecycle == SessionLifecycle.Paused => this with { Lifecycle = SessionLifecycle.Running },
            // Its workers are stopped: the attempts in flight are cut short as by a crash, and none shows as running after.
            SessionCancelled c when !IsFinished && Lifecycle != SessionLifecycle.New =>
                RequeueInFlight() with { Lifecycle = SessionLifecycle.Cancelled, EndReason = c.Reason },
            SessionCompleted c when !IsFinished && Lifecycle != SessionLifecycle.New =>
                this with { Lifecycle = SessionLifecycle.Completed, FinalScore = c.FinalScore, EndReason = c.Reason },
            SessionFailed f when !IsFinished && Lifecycle != SessionLifecycle.New =>
                this with { Lifecycle = SessionLifecycle.Failed, EndReason = f.Reason },
            _ => this,
        };
        var conversation = next.Conversation.Apply(e, next.Tasks);
        var transcripts = next.Transcripts.Apply(e);
        return ReferenceEquals(conversation, next.Conversation) && ReferenceEquals(transcripts, next.Transcripts)
            ? next
            : next with { Conversation = conversation, Transcripts = transcripts };
    }

    /// <summary>After recovery no worker runs: tasks that were dispatched but never finished become ready again (in
    /// their first order), keeping their attempt count, one more interruption counted; a crash is not a failure, so no
    /// retry is spent. Not an event: it happens again on every replay; once the next <see cref="TaskDispatched"/> is
    /// applied the state is the same as a plain replay of the journal gives (a dispatch folded over an attempt still in
    /// flight counts the same interruption).</summary>
    public SessionState RequeueInFlight()
    {
        if (InFlight.IsEmpty) return this;
        var edit = new SessionStateEditor(this);
        foreach (var task in InFlight.Select(id => Tasks[id]).OrderBy(t => t.Order))
        {
            edit.InFlight.Remove(task.Spec.Id);
            edit.Tasks[task.Spec.Id] = task with { State = TaskRunState.Ready, Interruptions = task.Interruptions + 1 };
            edit.Ready.Add(new ReadyEntry(task.Spec.Priority, task.ReadySequence, task.Spec.Id));
        }
        return edit.Build();
    }

    /// <summary>The failures of the tasks whose last <paramref name="limit"/> attempts in a row were cut short by the
    /// node stopping (read after <see cref="RequeueInFlight"/>): such a task may be what kills the node, so it is not
    /// dispatched again (the failure is not retryable) and the rest of the session goes on as its template says.</summary>
    public IReadOnlyList<TaskFailed> InterruptedTooOften(int limit, DateTimeOffset now) =>
        Tasks.Values
            .Where(t => t.State == TaskRunState.Ready && t.Interruptions >= limit)
            .OrderBy(t => t.Order)
            .Select(t => new TaskFailed(Id, t.Spec.Id, t.Attempt + 1,
                $"its last {t.Interruptions} attempts were in flight when the node stopped (a crash, a kill or a failover); "
                + "it is not dispatched again in case it is what stops the node", null, Retryable: false, 0, now))
            .ToList();

    /// <summary>An outcome the session should persist: only one for the attempt now in flight; a late or unknown
    /// one (a worker of an earlier attempt) is dropped.</summary>
    public bool Accepts(TaskSucceeded outcome) => IsCurrentAttempt(outcome.TaskId, outcome.Attempt, out _);

    /// <inheritdoc cref="Accepts(TaskSucceeded)"/>
    public bool Accepts(TaskFailed outcome) => IsCurrentAttempt(outcome.TaskId, outcome.Attempt, out _);

    /// <summary>Whether <paramref name="taskId"/> waits to be dispatched as <paramref name="attempt"/> (the node may
    /// refuse it, failing that attempt without a worker).</summary>
    public bool AwaitsDispatch(TaskId taskId, int attempt) =>
        Tasks.TryGetValue(taskId, out var task) && task.State is TaskRunState.Ready or TaskRunState.RetryWaiting && task.Attempt + 1 == attempt;

    /// <summary>Whether <paramref name="attempt"/> of <paramref name="taskId"/> is the one in flight (with a worker, or
    /// a question waiting for a person), and that task.</summary>
    internal bool IsCurrentAttempt(TaskId taskId, int attempt, out TaskState task) =>
        Tasks.TryGetValue(taskId, out task!) && task.State is TaskRunState.Dispatched or TaskRunState.Waiting && task.Attempt == attempt;
}
