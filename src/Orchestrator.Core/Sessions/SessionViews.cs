using System.Collections.Immutable;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>A session's state as its replies show it: figures, and every task in plan order.</summary>
public static class SessionViews
{
    /// <summary>The session's figures with its tasks in plan order from <paramref name="firstTask"/> on, as many as
    /// <paramref name="size"/> allows (every one when it is not given) and at least one: a page of the detail, whose
    /// <see cref="SessionDetail.NextTask"/> is where the next one starts (null after the last task). The inputs come
    /// with the page that starts at the first task.</summary>
    public static SessionDetail ToDetail(this SessionState state, int firstTask = 0, ReplyPageSize? size = null)
    {
        var first = Math.Max(0, firstTask);
        var inputs = first == 0 ? state.Inputs : ImmutableDictionary<string, string>.Empty;
        var (tasks, more) = (size ?? ReplyPageSize.Unlimited).Take(
            state.Tasks.Values.OrderBy(t => t.Order).Skip(first).Select(t => t.ToView()), DetailChars.Of, DetailChars.Of(inputs));
        return new SessionDetail(state.ToStatus(), inputs, state.CreatedAt, tasks, more ? first + tasks.Count : null);
    }

    /// <summary>One task as replies and notices show it: its question only while it waits for an answer.</summary>
    public static TaskView ToView(this TaskState t) => new(
        t.Spec.Id.Value, t.Spec.AgentRole, t.Spec.Phase, t.Spec.DependsOn, t.State, t.Attempt, t.Failures, t.Model, t.Output,
        t.LastError, t.Agent, t.State == TaskRunState.Waiting ? t.Question : null);

    /// <summary>The session's figures as a reply.</summary>
    public static SessionStatus ToStatus(this SessionState state) => new(
        state.SessionId, state.Lifecycle, state.Workflow?.Name ?? "", state.Iteration, state.Tasks.Count, state.Succeeded,
        state.Failed, state.Skipped, state.InFlight.Count, state.TokensUsed, state.BestScore, state.EndReason,
        state.Awaiting.Count);
}
