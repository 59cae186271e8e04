using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Client;

/// <summary>The node's session gateway, for an application that cannot be a cluster member: a node that enables it
/// (<c>orchestrator.node.session-gateway = on</c>) registers <see cref="Path"/> with its <c>ClusterClientReceptionist</c>,
/// which forwards each <see cref="ISessionMessage"/> to the <c>session</c> region with its sender.</summary>
public static class SessionGateway
{
    /// <summary>The gateway's actor name on a node.</summary>
    public const string Name = "session-gateway";

    /// <summary>The gateway's path, as a <c>ClusterClient</c> names it.</summary>
    public const string Path = "/user/" + Name;

    /// <summary>The receptionist of the node at <paramref name="address"/> (<c>akka.tcp://orchestrator@host:port</c>),
    /// an initial contact of a <c>ClusterClient</c>.</summary>
    public static ActorPath Receptionist(Address address) => new RootActorPath(address) / "system" / "receptionist";

    /// <summary>Starts a <c>ClusterClient</c> on <paramref name="system"/> that reaches the cluster through the
    /// receptionists of <paramref name="nodes"/>; send it messages wrapped by <see cref="Send"/>.</summary>
    public static IActorRef StartClusterClient(ActorSystem system, IEnumerable<Address> nodes, string name = "orchestrator-client") =>
        system.ActorOf(ClusterClient.Props(ClusterClientSettings.Create(system)
            .WithInitialContacts(nodes.Select(Receptionist).ToImmutableHashSet())), name);

    /// <summary><paramref name="message"/> for the gateway, as told to a <c>ClusterClient</c>: it arrives at one node's
    /// gateway, and the session's replies and notices come back to the sender through the client.</summary>
    public static ClusterClient.Send Send(ISessionMessage message) => new(Path, message);
}
