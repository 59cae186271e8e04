using System.Text.Json.Serialization;
using Orchestrator.Core.Messaging;

namespace Orchestrator.Core.Sessions;

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

    /// <summary>Asks for a session's status with every task of its DAG; answered by
    /// <see cref="SessionReplies.SessionDetail"/> or <see cref="SessionReplies.SessionNotFound"/>.</summary>
    public sealed record GetSessionDetail(string SessionId) : ISessionMessage;

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

/// <summary>The answers of a session to <see cref="SessionCommands"/>.</summary>
public static class SessionReplies
{
    /// <summary>The session exists and runs (or ran) the template asked for.</summary>
    public sealed record SessionStarted(string SessionId) : ISessionReply;

    /// <summary>The session's state in figures; <see cref="AwaitingAnswer"/> counts its tasks waiting for a person's answer.</summary>
    public sealed record SessionStatus(
        string SessionId,
        SessionLifecycle Lifecycle,
        string Template,
        int Iteration,
        int TotalTasks,
        int Succeeded,
        int Failed,
        int Skipped,
        int InFlight,
        long TokensUsed,
        double? BestScore,
        string? EndReason,
        int AwaitingAnswer = 0) : ISessionReply;

    /// <summary>The command was refused; nothing was persisted. <see cref="Problems"/> lists every reason;
    /// <see cref="Conflict"/> is set when the command is valid but conflicts with the session as it is (a start of an
    /// existing session with another template or other inputs).</summary>
    public sealed record SessionRejected(string SessionId, IReadOnlyList<string> Problems, bool Conflict = false) : ISessionReply;

    /// <summary>No session has this id; none was created by asking.</summary>
    public sealed record SessionNotFound(string SessionId) : ISessionReply;

    /// <summary>A session's figures and every task of its DAG, in plan order.</summary>
    public sealed record SessionDetail(
        SessionStatus Status, IReadOnlyDictionary<string, string> Inputs, DateTimeOffset? CreatedAt, IReadOnlyList<TaskView> Tasks)
        : ISessionReply
    {
        /// <inheritdoc />
        public string SessionId => Status.SessionId;
    }

    /// <summary>One task of <see cref="SessionDetail"/>: its place in the DAG, where it is, its attempts, its output
    /// or last error, and while it waits for a person (a human node), the question.</summary>
    public sealed record TaskView(
        string Id, string AgentRole, string? Phase, IReadOnlyList<string> DependsOn, TaskRunState State, int Attempt,
        int Failures, string? Model, string? Output, string? LastError, string? Agent = null, HumanQuestion? Question = null);

    /// <summary>A page of sessions, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
    public sealed record SessionList(IReadOnlyList<SessionSummary> Sessions, string? Next) : IClusterMessage;

    /// <summary>A list query that could not be answered, with every problem.</summary>
    public sealed record SessionListRefused(IReadOnlyList<string> Problems) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("session-started.v1", typeof(SessionStarted)),
        new("session-status.v1", typeof(SessionStatus)),
        new("session-rejected.v1", typeof(SessionRejected)),
        new("session-not-found.v1", typeof(SessionNotFound)),
        new("session-detail.v1", typeof(SessionDetail)),
        new("session-list.v2", typeof(SessionList)),
        new("session-list-refused.v1", typeof(SessionListRefused)),
    ];
}
