using System.Text.Json.Serialization;

namespace Orchestrator.Messages.Sessions;

/// <summary>What a client (HTTP, <c>orch</c>, another ActorSystem) asks of a session through the <c>session</c> shard
/// region. Each is answered by one of <see cref="SessionReplies"/>.</summary>
public static class SessionCommands
{
    /// <summary>Creates and starts a session from a template by name with its inputs; answered by
    /// <see cref="SessionReplies.SessionStarted"/> or <see cref="SessionReplies.SessionRejected"/> with every problem.
    /// Sending it again for a running session with the same template is answered <c>SessionStarted</c> again.
    /// <c>TraceParent</c> is the W3C trace context of the sender's span (null: none), the parent of the session's span
    /// on whichever node holds it.</summary>
    public sealed record StartSession(string SessionId, string TemplateName, IReadOnlyDictionary<string, string> Inputs,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null)
        : ISessionMessage;

    /// <summary>Stops new dispatches; tasks in flight finish. Answered by the session's status.</summary>
    public sealed record PauseSession(string SessionId) : ISessionMessage;

    /// <summary>Lets a paused session dispatch again. Answered by the session's status.</summary>
    public sealed record ResumeSession(string SessionId) : ISessionMessage;

    /// <summary>Ends a session and cancels generation in flight. Answered by the session's status.</summary>
    public sealed record CancelSession(string SessionId, string Reason) : ISessionMessage;

    /// <summary>Asks for a session's status; answered by <see cref="SessionReplies.SessionStatus"/> or
    /// <see cref="SessionReplies.SessionNotFound"/>.</summary>
    public sealed record GetSessionStatus(string SessionId) : ISessionMessage;

    /// <summary>Asks for a session's status with the tasks of its DAG from <see cref="FirstTask"/> on (in plan order);
    /// answered by <see cref="SessionReplies.SessionDetail"/> or <see cref="SessionReplies.SessionNotFound"/>. A detail
    /// is one page, sized to cross remoting in one frame: its <c>NextTask</c>, when set, is the <see cref="FirstTask"/>
    /// of the next page. A negative one is read as 0.</summary>
    public sealed record GetSessionDetail(string SessionId, int FirstTask = 0) : ISessionMessage;

    /// <summary>Answers the question a human node of the session waits on: exactly one of <see cref="Approve"/> (true),
    /// <see cref="Reject"/> (the reason) or <see cref="Value"/> (JSON text meeting the node's schema). Answered by the
    /// session's status, or <see cref="SessionReplies.SessionRejected"/> with nothing written: a conflict when the task
    /// waits for no answer, otherwise an answer that does not fit the question.</summary>
    public sealed record AnswerHumanInput(string SessionId, string TaskId, bool? Approve = null, string? Reject = null, string? Value = null)
        : ISessionMessage;

    /// <summary>Asks the node's session directory (not one session) for a page of the sessions it knows, newest first,
    /// optionally of one lifecycle (running, paused, completed, failed, cancelled) and one template; <see cref="After"/>
    /// is the <c>Next</c> cursor of the page before. Answered by <see cref="SessionReplies.SessionList"/> or
    /// <see cref="SessionReplies.SessionListRefused"/>.</summary>
    public sealed record ListSessions(string? Lifecycle = null, string? Template = null, int Limit = 50, string? After = null)
        : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("start-session.v1", typeof(StartSession)),
        new("pause-session.v1", typeof(PauseSession)),
        new("resume-session.v1", typeof(ResumeSession)),
        new("cancel-session.v1", typeof(CancelSession)),
        new("get-session-status.v1", typeof(GetSessionStatus)),
        new("get-session-detail.v1", typeof(GetSessionDetail)),
        new("list-sessions.v2", typeof(ListSessions)),
        new("answer-human-input.v1", typeof(AnswerHumanInput)),
    ];
}
