using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Management;

/// <summary>Introspection queries answered by a node's management actor (<c>/user/management</c>), for the API and
/// <c>orch</c>: the actor hierarchy with mailbox depths, and the cluster's members.</summary>
public static class ManagementQueries
{
    /// <summary>Ask for the actor tree under <c>/user</c> and <c>/system</c>, <paramref name="Depth"/> levels deep.</summary>
    public sealed record GetActorHierarchy(int Depth) : IClusterMessage;

    /// <summary>One actor: its path, its type, the messages waiting in its mailbox, and its children (within the depth).</summary>
    public sealed record ActorNode(string Path, string Type, int MailboxDepth, int ChildCount, IReadOnlyList<ActorNode> Children);

    /// <summary>The actor tree of a node.</summary>
    public sealed record ActorHierarchy(string Node, IReadOnlyList<ActorNode> Roots) : IClusterMessage;

    /// <summary>Ask for the cluster's members as this node sees them.</summary>
    public sealed record GetClusterState : IClusterMessage;

    /// <summary>A member of the cluster.</summary>
    public sealed record ClusterMember(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool IsLeader, bool IsSelf);

    /// <summary>The cluster as this node sees it.</summary>
    public sealed record ClusterState(string Self, string? Leader, IReadOnlyList<ClusterMember> Members) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("get-actor-hierarchy.v1", typeof(GetActorHierarchy)),
        new("actor-hierarchy.v1", typeof(ActorHierarchy)),
        new("get-cluster-state.v1", typeof(GetClusterState)),
        new("cluster-state.v1", typeof(ClusterState)),
    ];
}
