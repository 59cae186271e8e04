using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Orchestrator.Client;

/// <summary>The <c>session</c> shard region as the cluster runs it: its type name and number of shards, on the members
/// of <see cref="ClusterRoles.Node"/>; and a proxy of it for a member that hosts no sessions (another application's ActorSystem).</summary>
public static class SessionShards
{
    /// <summary>The shard region's type name.</summary>
    public const string TypeName = "session";

    /// <summary>The number of shards of the region; a proxy must use the node's number.</summary>
    public const int MaxShards = 100;

    /// <summary>Starts a proxy of the <c>session</c> region on <paramref name="system"/> (a cluster member): every
    /// <see cref="Orchestrator.Messages.Sessions.ISessionMessage"/> told to it reaches its session on whichever node
    /// of <paramref name="role"/> holds it, with its sender.</summary>
    public static Task<IActorRef> StartProxyAsync(ActorSystem system, string role = ClusterRoles.Node, int maxShards = MaxShards) =>
        ClusterSharding.Get(system).StartProxyAsync(TypeName, role, new SessionMessageExtractor(maxShards));
}
