using System.Text.Json.Serialization;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Sessions;

/// <summary>The events of a session's journal. <see cref="SessionState"/> is a fold over them; the lifecycle ones
/// are <see cref="IFeedEvent"/>s, tagged for the node-wide feed.</summary>
public static class SessionEvents
{
    /// <summary>A session was created from a resolved template, whose content it keeps.</summary>
    public sealed record SessionCreated(
        SessionId SessionId, ResolvedWorkflow Workflow, IReadOnlyDictionary<string, string> Inputs, DateTimeOffset At) : IFeedEvent;

    /// <summary>Tasks joined the plan: the template's at the start, or a planner's proposal that expands the
    /// <see cref="ExpandedFrom"/> prototype.</summary>
    public sealed record PlanAccepted(
        SessionId SessionId, IReadOnlyList<PlannedTask> Tasks, TaskId? ExpandedFrom, DateTimeOffset At) : IPersistedEvent;

    /// <summary>An attempt of a task was handed to a worker on <see cref="Model"/>, as the registered agent
    /// <see cref="Agent"/> (null: no agent has the task's role, and the role's default model runs it; also in events
    /// written before 2026-12-05); persisted before the worker starts.</summary>
    public sealed record TaskDispatched(
        SessionId SessionId, TaskId TaskId, int Attempt, string Model, DateTimeOffset At,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Agent = null) : IPersistedEvent;

    /// <summary>An attempt succeeded with its final text, and what its worker read in it, so that nothing parses it
    /// again: a planner's <see cref="TaskList"/>, a scorer's <see cref="Verdict"/> (both null in events written before
    /// 2026-12-04, whose output is then read as it was).</summary>
    public sealed record TaskSucceeded(
        SessionId SessionId, TaskId TaskId, int Attempt, string Output, long Tokens, TimeSpan Duration, DateTimeOffset At,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TaskListData? TaskList = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ScorerVerdict? Verdict = null) : IPersistedEvent;

    /// <summary>An attempt failed; <see cref="RawText"/> keeps a reply no parser could read.</summary>
    public sealed record TaskFailed(
        SessionId SessionId, TaskId TaskId, int Attempt, string Reason, string? RawText, bool Retryable, long Tokens,
        DateTimeOffset At) : IPersistedEvent;

    /// <summary>A task will not run, with the reason (an input failed or was skipped).</summary>
    public sealed record TaskSkipped(SessionId SessionId, TaskId TaskId, string Reason, DateTimeOffset At) : IPersistedEvent;

    /// <summary>The analytics of one decision: what was chosen, some examples of what was held back and why, and
    /// how many were held back for each reason.</summary>
    public sealed record DecisionRecorded(
        SessionId SessionId, IReadOnlyList<TaskId> Chosen, IReadOnlyList<HeldBackTask> HeldBack,
        IReadOnlyDictionary<string, int> HeldBackCounts, DateTimeOffset At) : IPersistedEvent;

    /// <summary>A task held back by a decision and why (<c>concurrency</c>, <c>node-capacity</c>, <c>spacing</c>...).</summary>
    public sealed record HeldBackTask(TaskId TaskId, string Reason);

    /// <summary>Another iteration reruns the named tasks (and what depends on them), each with its critique.</summary>
    public sealed record IterationStarted(
        SessionId SessionId, int Iteration, IReadOnlyList<TaskId> TaskIds, IReadOnlyDictionary<TaskId, string> Critiques,
        DateTimeOffset At) : IFeedEvent;

    /// <summary>An iteration ended with the scorer's verdict and its metrics.</summary>
    public sealed record IterationCompleted(
        SessionId SessionId, IterationMetrics Metrics, string? Critique, IReadOnlyDictionary<string, double> TaskScores,
        DateTimeOffset At) : IFeedEvent;

    /// <summary>No new dispatches until resumed; tasks in flight finish.</summary>
    public sealed record SessionPaused(SessionId SessionId, DateTimeOffset At) : IFeedEvent;

    /// <summary>Dispatching goes on.</summary>
    public sealed record SessionResumed(SessionId SessionId, DateTimeOffset At) : IFeedEvent;

    /// <summary>Stopped by request; generation in flight is cancelled.</summary>
    public sealed record SessionCancelled(SessionId SessionId, string Reason, DateTimeOffset At) : IFeedEvent;

    /// <summary>Finished: the iteration policy stopped it (quality reached, budget spent, no improvement...).</summary>
    public sealed record SessionCompleted(SessionId SessionId, double? FinalScore, string Reason, DateTimeOffset At) : IFeedEvent;

    /// <summary>Finished without a result: a task failed for good, or the plan could not run.</summary>
    public sealed record SessionFailed(SessionId SessionId, string Reason, DateTimeOffset At) : IFeedEvent;

    /// <summary>A reply was read only through a fallback of the response protocol.</summary>
    public sealed record ProtocolWarning(
        SessionId SessionId, TaskId TaskId, int Attempt, string Code, string Message, DateTimeOffset At) : IPersistedEvent;

    /// <summary>A ready task was held back because its resources overlap those of <see cref="BlockedBy"/> (running, or
    /// chosen first); <see cref="Resolution"/> says why that one goes first. Recorded once per pair, not per decision.</summary>
    public sealed record ConflictDetected(
        SessionId SessionId, TaskId TaskId, TaskId BlockedBy, string Overlap, string Resolution, DateTimeOffset At) : IPersistedEvent;

    /// <summary>The summarizer agent folded the first <see cref="TurnsFolded"/> turns of the session's conversation (and
    /// the summary before) into <see cref="Summary"/>; later prompts carry it in their place.</summary>
    public sealed record ContextSummarized(SessionId SessionId, string Summary, int TurnsFolded, DateTimeOffset At) : IPersistedEvent;

    /// <summary>A human node's question was put to a person as <see cref="Attempt"/> of its task, which waits for the answer
    /// (no worker, no dispatch slot, no model).</summary>
    public sealed record HumanInputRequested(SessionId SessionId, TaskId TaskId, int Attempt, HumanQuestion Question, DateTimeOffset At)
        : IFeedEvent;

    /// <summary>A person answered a human node's question (or, with <see cref="ByTimeout"/>, its deadline passed and its
    /// default action applied): <see cref="Value"/> is the JSON value given, <see cref="Reason"/> a rejection's reason.
    /// Written with the task's <c>TaskSucceeded</c> or <c>TaskFailed</c>.</summary>
    public sealed record HumanInputAnswered(
        SessionId SessionId, TaskId TaskId, int Attempt, HumanDecision Decision, string? Value, string? Reason, bool ByTimeout,
        DateTimeOffset At) : IFeedEvent;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("session-created.v1", typeof(SessionCreated)),
        new("plan-accepted.v1", typeof(PlanAccepted)),
        new("task-dispatched.v1", typeof(TaskDispatched)),
        new("task-succeeded.v1", typeof(TaskSucceeded)),
        new("task-failed.v1", typeof(TaskFailed)),
        new("task-skipped.v1", typeof(TaskSkipped)),
        new("decision-recorded.v1", typeof(DecisionRecorded)),
        new("iteration-started.v1", typeof(IterationStarted)),
        new("iteration-completed.v1", typeof(IterationCompleted)),
        new("session-paused.v1", typeof(SessionPaused)),
        new("session-resumed.v1", typeof(SessionResumed)),
        new("session-cancelled.v1", typeof(SessionCancelled)),
        new("session-completed.v1", typeof(SessionCompleted)),
        new("session-failed.v1", typeof(SessionFailed)),
        new("protocol-warning.v1", typeof(ProtocolWarning)),
        new("conflict-detected.v1", typeof(ConflictDetected)),
        new("context-summarized.v1", typeof(ContextSummarized)),
        new("human-input-requested.v1", typeof(HumanInputRequested)),
        new("human-input-answered.v1", typeof(HumanInputAnswered)),
    ];
}
