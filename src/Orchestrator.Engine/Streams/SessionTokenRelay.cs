using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Orchestrator.Core.Sessions;
using static Orchestrator.Core.Sessions.SessionLiveMessages;

namespace Orchestrator.Engine.Streams;

/// <summary>Brings the token chunks of sessions running on other nodes into this node's <see cref="LiveFeed{T}"/>, for
/// the sessions its clients follow: subscribed to a session's topic (<see cref="SessionTokenTopics"/>) while at least
/// one client of this node follows it (<see cref="Follow"/> ... <see cref="Unfollow"/>), it publishes what other nodes
/// send there to the feed, where each client's own bounded buffer takes it as it takes local chunks. Chunks this node
/// published itself are skipped: its feed had them first.</summary>
public sealed class SessionTokenRelay : ReceiveActor
{
    private readonly LiveFeed<SessionLiveEvent> _feed;
    private readonly IActorRef _mediator;
    private SessionFollowers _followers = new();

    /// <param name="feed">This node's live feed.</param>
    /// <param name="mediator">The cluster's distributed pub-sub mediator on this node.</param>
    public static Props Props(LiveFeed<SessionLiveEvent> feed, IActorRef mediator) =>
        Akka.Actor.Props.Create(() => new SessionTokenRelay(feed, mediator));

    /// <summary>Use <see cref="Props"/>.</summary>
    public SessionTokenRelay(LiveFeed<SessionLiveEvent> feed, IActorRef mediator)
    {
        _feed = feed;
        _mediator = mediator;
        Receive<Follow>(f =>
        {
            (_followers, var first) = _followers.Follow(f.SessionId);
            if (first) _mediator.Tell(new Subscribe(SessionTokenTopics.TopicOf(f.SessionId), Self));
        });
        Receive<Unfollow>(f =>
        {
            (_followers, var last) = _followers.Unfollow(f.SessionId);
            if (last) _mediator.Tell(new Unsubscribe(SessionTokenTopics.TopicOf(f.SessionId), Self));
        });
        Receive<TaskTokens>(t =>
        {
            // The sender is the worker that generated the chunk; one of this node's published it to the feed already.
            if (!Sender.Path.Address.HasLocalScope && _followers.CountOf(t.SessionId) > 0)
                _feed.Publish(new SessionLiveEvent(t.SessionId, null, t));
        });
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
    }

    /// <summary>A client of this node follows <see cref="SessionId"/>'s live feed from now on.</summary>
    public sealed record Follow(string SessionId) : INoSerializationVerificationNeeded;

    /// <summary>A client that followed <see cref="SessionId"/> left.</summary>
    public sealed record Unfollow(string SessionId) : INoSerializationVerificationNeeded;
}

/// <summary>Akka.Hosting registration of the node's <see cref="SessionTokenRelay"/> at <c>/user/session-tokens</c>.</summary>
public static class SessionTokenRelaySetup
{
    /// <summary>Starts the distributed pub-sub mediator and the relay into this node's <paramref name="live"/> feed.</summary>
    public static AkkaConfigurationBuilder AddSessionTokenRelay(this AkkaConfigurationBuilder builder, LiveFeed<SessionLiveEvent> live) =>
        builder.WithActors((system, registry) =>
            registry.Register<SessionTokenRelay>(
                system.ActorOf(SessionTokenRelay.Props(live, DistributedPubSub.Get(system).Mediator), "session-tokens")));
}
