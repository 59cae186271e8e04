using System.Diagnostics;
using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Client;

/// <summary>Drives sessions from .NET code in the node's process: every call is a message to the <c>session</c> shard
/// region (so the session may live on any node), answered with a <see cref="SessionResult{T}"/>: the reply asked for,
/// or that the session was not found or refused the command. A session id that is not valid is refused here, before
/// anything is routed or created. Lists come from the node's
/// <see cref="SessionDirectory"/> when one is given; with the node's <see cref="SessionTokenRelay"/>, a session followed by
/// <see cref="Events"/> shows its token chunks wherever in the cluster it runs.</summary>
public sealed class OrchestratorClient(
    IActorRef sessions, LiveFeed<SessionLiveEvent> feed, TimeSpan? askTimeout = null, IActorRef? directory = null,
    IActorRef? tokenRelay = null)
{
    private readonly TimeSpan _timeout = askTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Starts <paramref name="template"/> as session <paramref name="sessionId"/>: <c>SessionStarted</c>, or
    /// rejected with every problem (nothing persisted).</summary>
    public Task<SessionResult<SessionStarted>> StartAsync(string sessionId, string template, IReadOnlyDictionary<string, string> inputs,
        CancellationToken cancellationToken = default) =>
        AskAsync<SessionStarted>(new StartSession(sessionId, template, inputs, OrchestratorTelemetry.TraceParentOf(Activity.Current)), cancellationToken);

    /// <summary>The session's status, or not found.</summary>
    public Task<SessionResult<SessionStatus>> StatusAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync<SessionStatus>(new GetSessionStatus(sessionId), cancellationToken);

    /// <summary>The session's status with every task of its DAG, or not found. The session answers in pages that each
    /// cross remoting in one frame; they are asked for one after the other and joined, with the status of the last (a
    /// running session's tasks may have moved on between two pages).</summary>
    public async Task<SessionResult<SessionDetail>> DetailAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var first = await AskAsync<SessionDetail>(new GetSessionDetail(sessionId), cancellationToken).ConfigureAwait(false);
        if (first.Value is not { NextTask: not null } page) return first;
        var tasks = page.Tasks.ToList();
        while (page.NextTask is { } next)
        {
            var more = await AskAsync<SessionDetail>(new GetSessionDetail(sessionId, next), cancellationToken).ConfigureAwait(false);
            if (more.Value is null) return more;
            page = more.Value;
            tasks.AddRange(page.Tasks);
        }
        return SessionResult<SessionDetail>.Of(first.Value with { Status = page.Status, Tasks = tasks, NextTask = null });
    }

    /// <summary>Pauses: no new dispatches; tasks in flight finish. The status after it, not found, or rejected (a
    /// finished session).</summary>
    public Task<SessionResult<SessionStatus>> PauseAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync<SessionStatus>(new PauseSession(sessionId), cancellationToken);

    /// <summary>Resumes a paused session: the status after it, not found, or rejected (a finished session).</summary>
    public Task<SessionResult<SessionStatus>> ResumeAsync(string sessionId, CancellationToken cancellationToken = default) =>
        AskAsync<SessionStatus>(new ResumeSession(sessionId), cancellationToken);

    /// <summary>Cancels a session and the generation in flight: the status after it, or not found.</summary>
    public Task<SessionResult<SessionStatus>> CancelAsync(string sessionId, string reason, CancellationToken cancellationToken = default) =>
        AskAsync<SessionStatus>(new CancelSession(sessionId, reason), cancellationToken);

    /// <summary>Answers the question human node <paramref name="answer"/>.TaskId waits on: the status after it, not
    /// found, or rejected with nothing written (a conflict when the task waits for no answer).</summary>
    public Task<SessionResult<SessionStatus>> AnswerAsync(AnswerHumanInput answer, CancellationToken cancellationToken = default) =>
        AskAsync<SessionStatus>(answer, cancellationToken);

    /// <summary>A page of the sessions known to the node, newest first: <c>SessionList</c>, or <c>SessionListRefused</c>
    /// with every problem of the query.</summary>
    public async Task<IClusterMessage> ListAsync(ListSessions query, CancellationToken cancellationToken = default) =>
        directory is null
            ? throw new InvalidOperationException("This client has no session directory to list sessions from.")
            : await directory.Ask<IClusterMessage>(query, _timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>The live events of this node's sessions (one session's when <paramref name="sessionId"/> is given):
    /// persisted events as they are written and the tokens of running tasks, with <c>Dropped(n)</c> when the reader
    /// falls behind. Events are kept from this call on, so a caller may subscribe, then start the session. One session's
    /// token chunks come from whichever node runs it (with a token relay); the source may be run once, and until it
    /// ends this node keeps receiving that session's chunks.</summary>
    public Source<FeedItem<SessionLiveEvent>, NotUsed> Events(string? sessionId = null, int bufferSize = 1024)
    {
        var events = feed.SubscribeNow(sessionId is null ? null : e => e.SessionId == sessionId, bufferSize);
        if (sessionId is null || tokenRelay is null)
            return events;
        tokenRelay.Tell(new SessionTokenRelay.Follow(sessionId));
        return events.WatchTermination((_, done) =>
        {
            done.ContinueWith(_ => tokenRelay.Tell(new SessionTokenRelay.Unfollow(sessionId)), TaskScheduler.Default);
            return NotUsed.Instance;
        });
    }

    private async Task<SessionResult<T>> AskAsync<T>(ISessionMessage message, CancellationToken cancellationToken)
        where T : class, ISessionReply
    {
        if (SessionIdRefusal.Of(message) is { } refusal)
            return SessionResult<T>.Of(refusal);
        return SessionResult<T>.Of(await sessions.Ask<ISessionReply>(message, _timeout, cancellationToken).ConfigureAwait(false));
    }
}
