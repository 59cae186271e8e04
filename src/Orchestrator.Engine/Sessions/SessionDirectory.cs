using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Streams;
using static Orchestrator.Core.Sessions.SessionCommands;

namespace Orchestrator.Engine.Sessions;

/// <summary>Answers <see cref="ListSessions"/> for the node from a <see cref="SessionIndex"/> it keeps up to date from
/// two sources: the journal's node-wide feed (every session of the cluster, from the first event, resumed from the last
/// ordering it saw when the query fails) and this node's live feed (its own sessions, at once, before the journal's
/// query has polled). The index ignores what it has already seen, so the two overlap safely.</summary>
public sealed class SessionDirectory : ReceiveActor, IWithTimers
{
    private readonly Func<long, Source<EventEnvelope, NotUsed>> _feedAfter;
    private readonly TimeSpan _restartDelay;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IMaterializer _materializer = Context.Materializer();
    private SessionIndex _index = new();
    private long _ordering;

    /// <summary>The timers restarting the journal query.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="feedAfter">The journal's feed-tagged events after an ordering, live (an <c>EventsByTag</c> query).</param>
    /// <param name="live">This node's live feed.</param>
    /// <param name="restartDelay">How long to wait before querying again after the query failed (3 s by default).</param>
    public static Props Props(Func<long, Source<EventEnvelope, NotUsed>> feedAfter, LiveFeed<SessionLiveEvent> live, TimeSpan? restartDelay = null) =>
        Akka.Actor.Props.Create(() => new SessionDirectory(feedAfter, live, restartDelay ?? TimeSpan.FromSeconds(3)));

    /// <summary>Use <see cref="Props"/>.</summary>
    public SessionDirectory(Func<long, Source<EventEnvelope, NotUsed>> feedAfter, LiveFeed<SessionLiveEvent> live, TimeSpan restartDelay)
    {
        _feedAfter = feedAfter;
        _restartDelay = restartDelay;
        Receive<StreamInit>(_ => Sender.Tell(Ack.Instance));
        Receive<EventEnvelope>(e =>
        {
            if (e.Offset is Sequence s) _ordering = Math.Max(_ordering, s.Value);
            if (e.PersistenceId.StartsWith(SessionIds.PersistenceId(""), StringComparison.Ordinal) && e.Event is IPersistedEvent persisted)
                _index = _index.Apply(e.PersistenceId[SessionIds.PersistenceId("").Length..], e.SequenceNr, persisted);
            Sender.Tell(Ack.Instance);
        });
        Receive<FeedItem<SessionLiveEvent>>(item =>
        {
            if (item is FeedItem<SessionLiveEvent>.Event { Value: { SequenceNr: { } nr, Event: IPersistedEvent persisted } live })
                _index = _index.Apply(live.SessionId, nr, persisted);
        });
        Receive<StreamEnded>(ended =>
        {
            if (ended.Cause is not null) _log.Warning(ended.Cause, "Session directory: the journal's feed query failed; resuming after ordering {0} in {1}", _ordering, _restartDelay);
            Timers.StartSingleTimer(nameof(RunQuery), RunQuery.Instance, _restartDelay);
        });
        Receive<RunQuery>(_ => StartQuery());
        Receive<ListSessions>(q => Sender.Tell(_index.Query(q)));

        // The live feed is a convenience (the journal's query has everything): when it ends, the query goes on alone.
        live.Subscribe(bufferSize: 4096).RunWith(Sink.ActorRef<FeedItem<SessionLiveEvent>>(Self, LiveEnded.Instance, _ => LiveEnded.Instance), _materializer);
        Receive<LiveEnded>(_ => { });
    }

    protected override void PreStart() => StartQuery();

    private void StartQuery() =>
        _feedAfter(_ordering).RunWith(
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
    /// <summary>Starts the directory over the journal's feed query that <paramref name="feedAfter"/> builds once the
    /// actor system is up, and this node's <paramref name="live"/> feed.</summary>
    public static AkkaConfigurationBuilder AddSessionDirectory(this AkkaConfigurationBuilder builder,
        Func<ActorSystem, Func<long, Source<EventEnvelope, NotUsed>>> feedAfter, LiveFeed<SessionLiveEvent> live) =>
        builder.WithActors((system, registry) =>
            registry.Register<SessionDirectory>(system.ActorOf(SessionDirectory.Props(feedAfter(system), live), "session-directory")));
}
