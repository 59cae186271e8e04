using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>Sessions' replies as the API's contracts.</summary>
internal static class SessionViews
{
    public static SessionLifecycleDto ToDto(this SessionLifecycle lifecycle) => ApiEnums.Map<SessionLifecycle, SessionLifecycleDto>(lifecycle);

    public static TaskStateDto ToDto(this TaskRunState state) => ApiEnums.Map<TaskRunState, TaskStateDto>(state);

    public static SessionStatusDto ToDto(this SessionStatus s) => new(
        s.SessionId, s.Lifecycle.ToDto(), s.Template, s.Iteration, s.TotalTasks, s.Succeeded, s.Failed, s.Skipped, s.InFlight,
        s.TokensUsed, s.BestScore, s.EndReason, s.AwaitingAnswer);

    public static SessionDetailDto ToDto(this SessionDetail detail)
    {
        var s = detail.Status;
        return new SessionDetailDto(
            s.SessionId, s.Lifecycle.ToDto(), s.Template, s.Iteration, s.TotalTasks, s.Succeeded, s.Failed, s.Skipped, s.InFlight,
            s.TokensUsed, s.BestScore, s.EndReason, s.AwaitingAnswer, detail.CreatedAt, detail.Inputs, detail.Tasks.Select(ToDto).ToList());
    }

    public static TaskDto ToDto(this TaskView t) => new(
        t.Id, t.AgentRole, t.Phase, t.DependsOn, t.State.ToDto(), t.Attempt, t.Failures, t.Model, t.Output, t.LastError, t.Agent,
        t.Question is { } q ? new HumanQuestionDto(q.Text, q.Answer.ToString().ToLowerInvariant(), q.Schema, q.Deadline) : null);

    public static SessionSummaryDto ToDto(this SessionSummary s) => new(
        s.SessionId, s.Template, s.Lifecycle.ToDto(), s.CreatedAt, s.UpdatedAt, s.Iteration, s.BestScore, s.EndReason);

    public static SessionPageDto ToDto(this SessionList list) => new(list.Sessions.Select(ToDto).ToList(), list.Next);

    public static TaskTokensDto ToDto(this TaskTokens t) => new(t.SessionId, t.TaskId, t.Attempt, t.Index, t.Text, t.Member);
}
