using Orchestrator.Core.Messaging;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Core.Sessions;

/// <summary>What a session's subscribers hear, made from its state (never from its journal events): the picture when
/// they subscribe, each task that a write changed, and the result when it ends.</summary>
public static class SessionNotices
{
    /// <summary>The answer to a subscription: <see cref="SessionSubscribed"/> with the session as it is, followed by
    /// <see cref="SessionEnded"/> when it has already ended; <see cref="SessionNotFound"/> for a session with no event.
    /// Their detail is the first page within <paramref name="size"/> (all of it when not given); a task beyond it comes
    /// as a <see cref="TaskChanged"/> between the two, so that every notice crosses remoting in one frame.</summary>
    public static IReadOnlyList<ISessionReply> OnSubscribe(SessionState state, ReplyPageSize? size = null)
    {
        if (state.Lifecycle == SessionLifecycle.New) return [new SessionNotFound(state.SessionId)];
        var detail = state.ToDetail(size: size);
        var notices = new List<ISessionReply> { new SessionSubscribed(state.SessionId, detail) };
        if (detail.NextTask is { } next)
            notices.AddRange(state.Tasks.Values.OrderBy(t => t.Order).Skip(next).Select(t => new TaskChanged(state.SessionId, t.ToView())));
        if (state.IsFinished) notices.Add(new SessionEnded(state.SessionId, detail));
        return notices;
    }

    /// <summary>The notices of one write that took the session from <paramref name="before"/> to
    /// <paramref name="after"/>: <see cref="TaskChanged"/> for each task whose view changed (new ones too), in plan
    /// order, then <see cref="SessionEnded"/> if this write ended it, with the first page of its detail within
    /// <paramref name="size"/> (all of it when not given).</summary>
    public static IReadOnlyList<ISessionReply> Between(SessionState before, SessionState after, ReplyPageSize? size = null)
    {
        var notices = new List<ISessionReply>();
        foreach (var task in after.Tasks.Values.OrderBy(t => t.Order))
        {
            var view = task.ToView();
            if (!before.Tasks.TryGetValue(task.Spec.Id, out var earlier) || earlier.ToView() != view)
                notices.Add(new TaskChanged(after.SessionId, view));
        }
        if (!before.IsFinished && after.IsFinished)
            notices.Add(new SessionEnded(after.SessionId, after.ToDetail(size: size)));
        return notices;
    }
}
