using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;

namespace Orchestrator.Engine.Sessions;

/// <summary>The journal's node-wide feed of feed-tagged events after an ordering: <see cref="Current"/> ends with the
/// last event stored now (a <c>CurrentEventsByTag</c> query), <see cref="Live"/> goes on polling for new ones (an
/// <c>EventsByTag</c> query).</summary>
public sealed record JournalFeed(Func<long, Source<EventEnvelope, NotUsed>> Current, Func<long, Source<EventEnvelope, NotUsed>> Live);

/// <summary>Answers <see cref="ListSessions"/> for the node from a <see cref="SessionIndex"/> it keeps up to date from
/// two sources: the journal's node-wide feed (every session of the cluster, from the first event, resumed from the last
/// ordering it saw when the query fails) and this node's live feed (its own sessions, at once, before the journal's
/// query has polled). The index ignores what it has already seen, so the two overlap safely.</summary>
/// <remarks>The journal is read from the first <see cref="ListSessions"/> on, not from the node's start: an idle node
/// neither polls its database for the feed nor carries the query's code and buffers. The first list waits until the
/// journal's current events are read (so it is complete), then the directory follows the live query.</remarks>
public sealed class SessionDirectory : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly JournalFeed _feed;
    private readonly TimeSpan _restartDelay;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IMaterializer _materializer = Context.Materializer();
    private SessionIndex _index = new();
    private long _ordering;

    /// <summary>The timers restarting the journal query.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The list queries waiting for the journal's current events.</summary>
    public IStash Stash { get; set; } = null!;

    /// <param name="feed">The journal's feed-tagged events after an ordering.</param>
    /// <param name="live">This node's live feed.</param>
    /// <param name="restartDelay">How long to wait before querying again after the query failed (3 s by default).</param>
    public static Props Props(JournalFeed feed, LiveFeed<SessionLiveEvent> live, TimeSpan? restartDelay = null) =>
        Akka.Actor.Props.Create(() => new SessionDirectory(feed, live, restartDelay ?? TimeSpan.FromSeconds(3)));

    /// <summary>Use <see cref="Props"/>.</summary>
    public SessionDirectory(JournalFeed feed, LiveFeed<SessionLiveEvent> live, TimeSpan restartDelay)
    {
        _feed = feed;
        _restartDelay = restartDelay;
        // The live feed is a convenience (the journal's query has everything): when it ends, the query goes on alone.
        live.Subscribe(bufferSize: 4096).RunWith(Sink.ActorRef<FeedItem<SessionLiveEvent>>(Self, LiveEnded.Instance, _ => LiveEnded.Instance), _materializer);
        Dormant();
    }

    /// <summary>No list asked for yet: only this node's live events are indexed.</summary>
    private void Dormant()
    {
        IndexingEvents();
        Receive<ListSessions>(_ =>
        {
            Stash.Stash();
            Run(_feed.Current);
            Become(CatchingUp);
        });
    }

    /// <summary>Reading the journal's current events; lists wait for the end of them.</summary>
    private void CatchingUp()
    {
        IndexingEvents();
        Receive<ListSessions>(_ => Stash.Stash());
        Receive<StreamEnded>(ended =>
        {
            // After a failure the lists are answered with what is known, and the live query resumes where this one failed.
            if (ended.Cause is not null) _log.Warning(ended.Cause, "Session directory: reading the journal's feed failed after ordering {Ordering}; following it from there", _ordering);
            Stash.UnstashAll();
            Run(_feed.Live);
            Become(Following);
        });
    }

    /// <summary>Following the journal's live query, restarted after a failure from the last ordering it delivered.</summary>
    private void Following()
    {
        IndexingEvents();
        Receive<ListSessions>(q => Sender.Tell(_index.Query(q)));
        Receive<StreamEnded>(ended =>
        {
            if (ended.Cause is not null) _log.Warning(ended.Cause, "Session directory: the journal's feed query failed; resuming after ordering {Ordering} in {RestartDelay}", _ordering, _restartDelay);
            Timers.StartSingleTimer(nameof(RunQuery), RunQuery.Instance, _restartDelay);
        });
        Receive<RunQuery>(_ => Run(_feed.Live));
    }

    private void IndexingEvents()
    {
        Receive<StreamInit>(_ => Sender.Tell(Ack.Instance));
        Receive<EventEnvelope>(e =>
        {
            if (e.Offset is Sequence s) _ordering = Math.Max(_ordering, s.Value);
            if (SessionId.TryFromPersistenceId(e.PersistenceId, out var id) && e.Event is IPersistedEvent persisted)
                _index = _index.Apply(id.Value, e.SequenceNr, persisted);
            Sender.Tell(Ack.Instance);
        });
        Receive<FeedItem<SessionLiveEvent>>(item =>
        {
            if (item is FeedItem<SessionLiveEvent>.Event { Value: { SequenceNr: { } nr, Event: IPersistedEvent persisted } live })
                _index = _index.Apply(live.SessionId, nr, persisted);
        });
        Receive<LiveEnded>(_ => { });
    }

    private void Run(Func<long, Source<EventEnvelope, NotUsed>> query) =>
        query(_ordering).RunWith(
            Sink.ActorRefWithAck<EventEnvelope>(Self, StreamInit.Instance, Ack.Instance, StreamEnded.Done, ex => new StreamEnded(ex)),
            _materializer);

    private sealed record StreamInit : INoSerializationVerificationNeeded { public static readonly StreamInit Instance = new(); }
    private sealed record Ack : INoSerializationVerificationNeeded { public static readonly Ack Instance = new(); }
    private sealed record LiveEnded : INoSerializationVerificationNeeded { public static readonly LiveEnded Instance = new(); }
    private sealed record RunQuery : INoSerializationVerificationNeeded { public static readonly RunQuery Instance = new(); }
    private sealed record StreamEnded(Exception? Cause) : INoSerializationVerificationNeeded { public static readonly StreamEnded Done = new((Exception?)null); }
}

/// <summary>Akka.Hosting registration of the node's <see cref="SessionDirectory"/> at <c>/user/session-directory</c>.</summary>
public static class SessionDirectorySetup
{
    /// <summary>Starts the directory over the journal's feed queries that <paramref name="feed"/> builds once the
    /// actor system is up, and this node's <paramref name="live"/> feed.</summary>
    public static AkkaConfigurationBuilder AddSessionDirectory(this AkkaConfigurationBuilder builder,
        Func<ActorSystem, JournalFeed> feed, LiveFeed<SessionLiveEvent> live) =>
        builder.WithActors((system, registry) =>
            registry.Register<SessionDirectory>(system.ActorOf(SessionDirectory.Props(feed(system), live), "session-directory")));
}
