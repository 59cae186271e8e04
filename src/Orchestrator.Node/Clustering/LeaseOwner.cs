using Akka.Actor;
using Akka.Cluster;

namespace Orchestrator.Node.Clustering;

/// <summary>A lease owner's name: one incarnation of one node, <c>HOST:PORT#UID</c>.</summary>
public static class LeaseOwner
{
    /// <summary>The owner name of the node incarnation <paramref name="node"/>.</summary>
    public static string Of(UniqueAddress node) => $"{node.Address.Host}:{node.Address.Port}#{node.Uid}";

    /// <summary>The remoting address of <paramref name="owner"/>, of the same actor system and protocol as
    /// <paramref name="self"/>; null when the name is not one this node writes.</summary>
    public static Address? AddressOf(string owner, Address self)
    {
        var hash = owner.LastIndexOf('#');
        var colon = hash > 0 ? owner.LastIndexOf(':', hash) : -1;
        if (colon <= 0 || !int.TryParse(owner.AsSpan(colon + 1, hash - colon - 1), out var port))
            return null;
        return new Address(self.Protocol, self.System, owner[..colon], port);
    }
}
