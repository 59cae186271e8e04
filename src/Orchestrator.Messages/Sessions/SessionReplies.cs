namespace Orchestrator.Messages.Sessions;

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

    /// <summary>A session's figures and the tasks of its DAG in plan order: one page of them, sized so that it crosses
    /// remoting in one frame. <see cref="NextTask"/> is null when the page ends with the last task; otherwise the rest
    /// comes from <see cref="SessionCommands.GetSessionDetail"/> with it as the first task. <see cref="Inputs"/> come with
    /// the page that starts at the first task, and are empty on the others.</summary>
    public sealed record SessionDetail(
        SessionStatus Status, IReadOnlyDictionary<string, string> Inputs, DateTimeOffset? CreatedAt, IReadOnlyList<TaskView> Tasks,
        int? NextTask = null)
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

    /// <summary>A node's session gateway refused a message that is not for a session (<see cref="ISessionMessage"/>):
    /// only its sender is told, and nothing was routed.</summary>
    public sealed record GatewayRefused(string MessageType, string Problem) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("session-started.v1", typeof(SessionStarted)),
        new("session-status.v1", typeof(SessionStatus)),
        new("session-rejected.v1", typeof(SessionRejected)),
        new("session-not-found.v1", typeof(SessionNotFound)),
        new("session-detail.v1", typeof(SessionDetail)),
        new("session-list.v2", typeof(SessionList)),
        new("session-list-refused.v1", typeof(SessionListRefused)),
        new("gateway-refused.v1", typeof(GatewayRefused)),
    ];
}
