using System.Text.Json;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>A session's human nodes: a ready one's question is put to a person (<c>HumanInputRequested</c>, its task
/// waiting with no worker and no slot); a person's answer (<see cref="AnswerHumanInput"/>) or a passed deadline (the
/// node's default action) is written as <c>HumanInputAnswered</c> with the task's success (approved: <c>approved</c>;
/// a value: its JSON) or its failure (rejected: the reason, not retried). An answer that does not fit is refused with
/// nothing written.</summary>
internal static class SessionHumanInput
{
    /// <summary>The output of an approved task.</summary>
    internal const string ApprovedOutput = "approved";

    /// <summary>The longest reason or value (in characters) an answer may give.</summary>
    internal const int MaxAnswerChars = 64 * 1024;

    /// <summary>The state after a question was put: the task waits for its answer as the request's attempt.</summary>
    internal static SessionState ApplyRequested(SessionState state, HumanInputRequested r)
    {
        if (!state.Tasks.TryGetValue(r.TaskId, out var task) || task.Spec.Human is null || task.State != TaskRunState.Ready
            || r.Attempt <= task.Attempt)
            return state;
        var edit = new SessionStateEditor(state);
        edit.Unqueue(task);
        edit.Awaiting.Add(r.TaskId);
        edit.Tasks[r.TaskId] = task with { State = TaskRunState.Waiting, Attempt = r.Attempt, Question = r.Question, DispatchedAt = r.At };
        return edit.Build();
    }

    /// <summary>The questions of every human node ready now, rendered with its inputs, each with its deadline.</summary>
    internal static IReadOnlyList<IPersistedEvent> Ask(SessionState state, DateTimeOffset now) =>
        state.Questions.Select(entry => state.Tasks[entry.TaskId]).Select(task => (IPersistedEvent)new HumanInputRequested(
            state.Id, task.Spec.Id, task.Attempt + 1,
            new HumanQuestion(TaskAssignment.Render(state, task), task.Spec.Human!.Answer, task.Spec.Human.Schema, now + task.Spec.Human.Timeout),
            now)).ToList();

    /// <summary>The default actions of the questions whose deadline has passed by <paramref name="now"/>, in plan order.</summary>
    internal static IReadOnlyList<IPersistedEvent> Overdue(SessionState state, DateTimeOffset now)
    {
        if (state.Awaiting.IsEmpty) return [];
        var events = new List<IPersistedEvent>();
        foreach (var task in state.Awaiting.Select(id => state.Tasks[id]).Where(t => t.Question?.Deadline <= now).OrderBy(t => t.Order))
        {
            var spec = task.Spec.Human!;
            var action = spec.OnTimeout ?? HumanInputSpec.RejectAction;
            events.AddRange(action switch
            {
                HumanInputSpec.RejectAction => Answered(state, task, HumanDecision.Rejected, null, $"no answer within {spec.Timeout}", byTimeout: true, now),
                HumanInputSpec.ApproveAction when spec.Answer == HumanAnswerKind.Approve =>
                    Answered(state, task, HumanDecision.Approved, null, null, byTimeout: true, now),
                _ => Answered(state, task, HumanDecision.Value, Compact(action), null, byTimeout: true, now),
            });
        }
        return events;
    }

    /// <summary>The earliest deadline of a question waiting for its answer, or null when none has one.</summary>
    internal static DateTimeOffset? NextDeadline(SessionState state) =>
        state.Awaiting.Select(id => state.Tasks[id].Question?.Deadline).Where(d => d is not null).Min();

    /// <summary>Decides a person's answer: the events and the session's status, or a refusal with nothing to write: a
    /// conflict when the session or the task waits for no answer, otherwise why the answer does not fit the question
    /// (naming the field, and for a value the path that fails its schema).</summary>
    internal static CommandResult<SessionState> Decide(SessionState state, AnswerHumanInput cmd, DateTimeOffset now)
    {
        if (state.Lifecycle == SessionLifecycle.New) return new([], new SessionNotFound(cmd.SessionId), state);
        var taskId = InputEcho.Of(cmd.TaskId);
        if (state.IsFinished)
            return Refuse(state, $"session '{state.SessionId}' is {state.Lifecycle.ToString().ToLowerInvariant()}: it waits for no answer", conflict: true);
        if (!TaskId.TryParse(cmd.TaskId, out var id) || !state.Tasks.TryGetValue(id, out var task))
            return Refuse(state, $"session '{state.SessionId}' has no task '{taskId}'", conflict: true);
        if (task.Spec.Human is not { } spec)
            return Refuse(state, $"task '{taskId}' is not a human node: an agent answers it", conflict: true);
        if (task.State != TaskRunState.Waiting)
            return Refuse(state, $"task '{taskId}' waits for no answer: it is {Described(task.State)}", conflict: true);

        var given = (cmd.Approve is null ? 0 : 1) + (cmd.Reject is null ? 0 : 1) + (cmd.Value is null ? 0 : 1);
        if (given != 1)
            return Refuse(state, $"answer with exactly one of approve, reject or value, not {given}");
        if (cmd.Reject is { } reason)
        {
            if (string.IsNullOrWhiteSpace(reason)) return Refuse(state, "reject needs a reason");
            if (reason.Length > MaxAnswerChars) return Refuse(state, $"reject's reason has {reason.Length} characters; at most {MaxAnswerChars}");
            return Accepted(state, task, HumanDecision.Rejected, null, reason.Trim(), now);
        }
        if (cmd.Approve is { } approve)
        {
            if (spec.Answer != HumanAnswerKind.Approve)
                return Refuse(state, $"approve: task '{taskId}' asks for a value meeting its schema (or reject with a reason)");
            if (!approve) return Refuse(state, "approve must be true: to refuse, reject with a reason");
            return Accepted(state, task, HumanDecision.Approved, null, null, now);
        }
        var value = cmd.Value!;
        if (spec.Answer != HumanAnswerKind.Value)
            return Refuse(state, $"value: task '{taskId}' asks for approval: approve, or reject with a reason");
        if (value.Length > MaxAnswerChars) return Refuse(state, $"value has {value.Length} characters; at most {MaxAnswerChars}");
        if (JsonSchemaSubset.Check(spec.Schema!, value) is { } problem) return Refuse(state, $"value: {problem}");
        return Accepted(state, task, HumanDecision.Value, Compact(value), null, now);
    }

    private static CommandResult<SessionState> Accepted(
        SessionState state, TaskState task, HumanDecision decision, string? value, string? reason, DateTimeOffset now)
    {
        var events = Answered(state, task, decision, value, reason, byTimeout: false, now);
        var after = state.ApplyAll(events);
        return new(events, after.ToStatus(), after);
    }

    /// <summary>The answer and the task's outcome, in one write: an approval or a value succeeds with its output, a
    /// rejection fails the task (not retried: the person answered), so the template's failure rules apply.</summary>
    private static IReadOnlyList<IPersistedEvent> Answered(
        SessionState state, TaskState task, HumanDecision decision, string? value, string? reason, bool byTimeout, DateTimeOffset now)
    {
        var id = task.Spec.Id;
        var took = task.DispatchedAt is { } at && now > at ? now - at : TimeSpan.Zero;
        IPersistedEvent outcome = decision == HumanDecision.Rejected
            ? new TaskFailed(state.Id, id, task.Attempt, $"rejected: {reason}", null, Retryable: false, 0, now)
            : new TaskSucceeded(state.Id, id, task.Attempt, value ?? ApprovedOutput, 0, took, now);
        return [new HumanInputAnswered(state.Id, id, task.Attempt, decision, value, reason, byTimeout, now), outcome];
    }

    /// <summary>A JSON value as written, without the whitespace around it.</summary>
    private static string Compact(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetRawText();
    }

    private static string Described(TaskRunState state) => state switch
    {
        TaskRunState.Pending or TaskRunState.Ready => "not asked yet",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static CommandResult<SessionState> Refuse(SessionState state, string problem, bool conflict = false) =>
        new([], new SessionRejected(state.SessionId, [problem], conflict), state);
}
