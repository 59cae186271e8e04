using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using static Orchestrator.Core.Sessions.SessionCommands;
using static Orchestrator.Core.Sessions.SessionReplies;

namespace Orchestrator.Engine.Client;

/// <summary>Drives sessions from .NET code in the node's process: every call is a message to the <c>session</c> shard
/// region (so the session may live on any node), answered by one of <see cref="SessionReplies"/>. A session id that is
/// not valid is refused here, before anything is routed or created. Lists come from the node's
/// <see cref="SessionDirectory"/> when one is given.</summary>
public sealed class OrchestratorClient(
    IActorRef sessions, LiveFeed<SessionLiveEvent> feed, TimeSpan? askTimeout = null, IActorRef? directory = null)
{
    private readonly TimeSpan _timeout = askTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Starts <paramref name="template"/> as session <paramref name="sessionId"/>: <c>SessionStarted</c>, or
    /// <c>SessionRejected</c> with every problem (nothing persisted).</summary>
    public Task<ISessionReply> StartAsync(string sessionId, string template, IReadOnlyDictionary<string, string> inputs,
        CancellationToken cancellationToken = default) =>
        AskAsync(new StartSession(sessionId, template, inputs), cancellationToken);

    /// <summary>The session's status, or <c>SessionNotFound</c>.</summary>
    public Task<ISessionReply> StatusAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync(new GetSessionStatus(sessionId), cancellationToken);

    /// <summary>The session's status with every task of its DAG (<c>SessionDetail</c>), or <c>SessionNotFound</c>.</summary>
    public Task<ISessionReply> DetailAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync(new GetSessionDetail(sessionId), cancellationToken);

    /// <summary>Pauses: no new dispatches; tasks in flight finish.</summary>
    public Task<ISessionReply> PauseAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync(new PauseSession(sessionId), cancellationToken);

    /// <summary>Resumes a paused session.</summary>
    public Task<ISessionReply> ResumeAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync(new ResumeSession(sessionId), cancellationToken);

    /// <summary>Cancels a session and the generation in flight.</summary>
    public Task<ISessionReply> CancelAsync(string sessionId, string reason, CancellationToken cancellationToken = default) =>
        AskAsync(new CancelSession(sessionId, reason), cancellationToken);

    /// <summary>A page of the sessions known to the node, newest first: <c>SessionList</c>, or <c>SessionListRefused</c>
    /// with every problem of the query.</summary>
    public async Task<IClusterMessage> ListAsync(ListSessions query, CancellationToken cancellationToken = default) =>
        directory is null
            ? throw new InvalidOperationException("This client has no session directory to list sessions from.")
            : await directory.Ask<IClusterMessage>(query, _timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>The live events of this node's sessions (one session's when <paramref name="sessionId"/> is given):
    /// persisted events as they are written and the tokens of running tasks, with <c>Dropped(n)</c> when the reader
    /// falls behind. Events are kept from this call on, so a caller may subscribe, then start the session.</summary>
    public Source<FeedItem<SessionLiveEvent>, NotUsed> Events(string? sessionId = null, int bufferSize = 1024) =>
        feed.SubscribeNow(sessionId is null ? null : e => e.SessionId == sessionId, bufferSize);

    private async Task<ISessionReply> AskAsync(ISessionMessage message, CancellationToken cancellationToken)
    {
        if (SessionIds.Problem(message.SessionId) is { } problem)
            return message is GetSessionStatus or GetSessionDetail or PauseSession or ResumeSession or CancelSession
                ? new SessionNotFound(message.SessionId)
                : new SessionRejected(message.SessionId, [problem]);
        return await sessions.Ask<ISessionReply>(message, _timeout, cancellationToken).ConfigureAwait(false);
    }
}
