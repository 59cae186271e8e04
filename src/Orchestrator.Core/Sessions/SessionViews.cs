using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>A session's state as its replies show it: figures, and every task in plan order.</summary>
public static class SessionViews
{
    /// <summary>The session's figures with every task, in plan order.</summary>
    public static SessionDetail ToDetail(this SessionState state) => new(
        state.ToStatus(), state.Inputs, state.CreatedAt,
        state.Tasks.Values.OrderBy(t => t.Order).Select(ToView).ToList());

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
