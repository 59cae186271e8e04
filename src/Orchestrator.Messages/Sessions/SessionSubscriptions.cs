namespace Orchestrator.Messages.Sessions;

/// <summary>How an actor follows a session by messages: it sends <see cref="SubscribeToSession"/> through the
/// <c>session</c> shard region and gets the session's picture, then a notice after each write that changed a task, and
/// the result when the session ends. Subscriptions are not persisted: the session watches each subscriber (its
/// termination unsubscribes it), and a subscriber watches the sender of <see cref="SessionSubscribed"/> (the session)
/// and subscribes again when it terminates (its node left, and it runs again on a survivor).</summary>
public static class SessionSubscriptions
{
    /// <summary>Subscribes the sender to the session's notices; answered by <see cref="SessionSubscribed"/>, or
    /// <see cref="SessionReplies.SessionNotFound"/> for a session with no event (nothing is created). Subscribing again
    /// changes nothing but the answer.</summary>
    public sealed record SubscribeToSession(string SessionId) : ISessionMessage;

    /// <summary>Ends the sender's subscription; not answered.</summary>
    public sealed record UnsubscribeFromSession(string SessionId) : ISessionMessage;

    /// <summary>The subscription is in place; <see cref="Detail"/> is the session as it is now. A session already ended
    /// sends <see cref="SessionEnded"/> right after.</summary>
    public sealed record SessionSubscribed(string SessionId, SessionReplies.SessionDetail Detail) : ISessionReply;

    /// <summary>A task of the session changed (its state, attempt, model, output or error), as it is after the write.</summary>
    public sealed record TaskChanged(string SessionId, SessionReplies.TaskView Task) : ISessionReply;

    /// <summary>The session completed, failed or was cancelled: its last picture, every task with its output. The last
    /// notice of a subscription.</summary>
    public sealed record SessionEnded(string SessionId, SessionReplies.SessionDetail Detail) : ISessionReply;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("subscribe-to-session.v1", typeof(SubscribeToSession)),
        new("unsubscribe-from-session.v1", typeof(UnsubscribeFromSession)),
        new("session-subscribed.v1", typeof(SessionSubscribed)),
        new("task-changed.v1", typeof(TaskChanged)),
        new("session-ended.v1", typeof(SessionEnded)),
    ];
}
