using System.Collections.Immutable;
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
    public static SessionDetail ToDetail(this SessionState state, int firstTask = 0, DetailPageSize? size = null)
    {
        var first = Math.Max(0, firstTask);
        var limit = (size ?? DetailPageSize.Unlimited).MaxChars;
        var inputs = first == 0 ? state.Inputs : ImmutableDictionary<string, string>.Empty;
        var used = DetailPageSize.CharsOf(inputs);
        var tasks = new List<TaskView>();
        int? next = null;
        foreach (var task in state.Tasks.Values.OrderBy(t => t.Order).Skip(first))
        {
            var view = task.ToView();
            used += DetailPageSize.CharsOf(view);
            if (tasks.Count > 0 && used > limit)
            {
                next = first + tasks.Count;
                break;
            }
            tasks.Add(view);
        }
        return new SessionDetail(state.ToStatus(), inputs, state.CreatedAt, tasks, next);
    }

    /// <summary>One task as replies and notices show it: its question only while it waits for an answer.</summary>
    public static TaskView ToView(this TaskState t) => new(
        t.Spec.Id, t.Spec.AgentRole, t.Spec.Phase, t.Spec.DependsOn, t.State, t.Attempt, t.Failures, t.Model, t.Output,
        t.LastError, t.Agent, t.State == TaskRunState.Waiting ? t.Question : null);

    /// <summary>The session's figures as a reply.</summary>
    public static SessionStatus ToStatus(this SessionState state) => new(
        state.SessionId, state.Lifecycle, state.Workflow?.Name ?? "", state.Iteration, state.Tasks.Count, state.Succeeded,
        state.Failed, state.Skipped, state.InFlight.Count, state.TokensUsed, state.BestScore, state.EndReason,
        state.Awaiting.Count);
}
