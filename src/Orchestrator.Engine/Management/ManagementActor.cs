using Akka.Actor;
using Akka.Cluster;
using static Orchestrator.Core.Management.ManagementQueries;

namespace Orchestrator.Engine.Management;

/// <summary>Answers a node's introspection queries (<c>/user/management</c>): its actor tree with mailbox depths,
/// and the cluster as this node sees it.</summary>
public sealed class ManagementActor : ReceiveActor
{
    /// <summary>The name it runs under, below <c>/user</c>.</summary>
    public const string Name = "management";

    /// <summary>Props of the management actor.</summary>
    public static Props Props() => Akka.Actor.Props.Create<ManagementActor>();

    /// <summary>Created through <see cref="Props()"/>.</summary>
    public ManagementActor()
    {
        var system = (ExtendedActorSystem)Context.System;
        Receive<GetActorHierarchy>(q =>
        {
            var depth = Math.Clamp(q.Depth, 1, 32);
            Sender.Tell(new ActorHierarchy(
                Cluster.Get(system).SelfAddress.ToString(),
                [Describe(system.Guardian, depth), Describe(system.SystemGuardian, depth)]));
        });
        Receive<GetClusterState>(_ => Sender.Tell(ClusterStateOf(Cluster.Get(system))));
    }

    private static ActorNode Describe(IActorRef actor, int depth)
    {
        var withCell = actor as ActorRefWithCell;
        var children = withCell?.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList() ?? [];
        return new ActorNode(
            actor.Path.ToStringWithoutAddress(),
            withCell?.Underlying.Props.Type?.Name ?? actor.GetType().Name,
            withCell?.Underlying.NumberOfMessages ?? 0,
            children.Count,
            depth > 1 ? children.Select(c => Describe(c, depth - 1)).ToList() : []);
    }

    private static ClusterState ClusterStateOf(Cluster cluster)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return new ClusterState(
            cluster.SelfAddress.ToString(),
            state.Leader?.ToString(),
            state.Members.Concat(state.Unreachable).DistinctBy(m => m.Address)
                .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
                .Select(m => new ClusterMember(
                    m.Address.ToString(),
                    m.Status.ToString(),
                    m.Roles.OrderBy(r => r, StringComparer.Ordinal).ToList(),
                    !unreachable.Contains(m.Address),
                    m.Address.Equals(state.Leader),
                    m.Address.Equals(cluster.SelfAddress)))
                .ToList());
    }
}
