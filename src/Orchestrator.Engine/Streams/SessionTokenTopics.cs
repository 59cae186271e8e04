using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using static Orchestrator.Core.Sessions.SessionLiveMessages;

namespace Orchestrator.Engine.Streams;

/// <summary>Puts a node's token chunks on their session's topic of the cluster's distributed pub-sub, where the nodes
/// whose clients follow that session (a <see cref="SessionTokenRelay"/> each) receive them. This node's own followers
/// read the node's <see cref="LiveFeed{T}"/> directly; this is the way out to the others.</summary>
/// <remarks>A topic per session rather than one for all: a chunk then travels only to the nodes where somebody follows
/// its session (the mediator's registry knows them), not to every node for every token of every session; a node holds a
/// topic only while it has followers of it. While this node is the cluster's only member (the embedded default) nobody
/// elsewhere can follow, so a chunk costs no more than a read of the cluster's state: not even the mediator hears of it.
/// A follower on another node sees chunks from about one gossip interval after it subscribes
/// (<c>akka.cluster.pub-sub.gossip-interval</c>); what it missed is in the task's outcome event.</remarks>
public sealed class SessionTokenTopics
{
    private readonly IActorRef _mediator;
    private readonly Akka.Cluster.Cluster _cluster;

    /// <summary>Publishes through <paramref name="mediator"/> while <paramref name="cluster"/> has other members.</summary>
    public SessionTokenTopics(IActorRef mediator, Akka.Cluster.Cluster cluster)
    {
        _mediator = mediator;
        _cluster = cluster;
    }

    /// <summary>The topics of <paramref name="system"/>'s cluster; null when the system is not a cluster member (an
    /// actor system of tests or of another application without a cluster: its feed stays local).</summary>
    public static SessionTokenTopics? For(ActorSystem system) =>
        system is ExtendedActorSystem { Provider: Akka.Cluster.IClusterActorRefProvider }
            ? new SessionTokenTopics(DistributedPubSub.Get(system).Mediator, Akka.Cluster.Cluster.Get(system))
            : null;

    /// <summary>The name of the topic that carries <paramref name="sessionId"/>'s token chunks.</summary>
    public static string TopicOf(string sessionId) => $"session-tokens-{sessionId}";

    /// <summary>Publishes <paramref name="tokens"/> to its session's topic as <paramref name="sender"/> (the actor that
    /// generated them: followers on this node know it by its local address and skip it), unless this node is alone.</summary>
    public void Publish(TaskTokens tokens, IActorRef sender)
    {
        if (_cluster.State.Members.Count > 1)
            _mediator.Tell(new Publish(TopicOf(tokens.SessionId), tokens), sender);
    }
}
