using Akka.Actor;
using Akka.Cluster.Tools.Singleton;

namespace Orchestrator.Engine.Singletons;

/// <summary>Starts a cluster singleton and its proxy under names of our choosing: the manager at
/// <c>/user/&lt;manager&gt;</c> (the singleton is its child <c>singleton</c>) and the proxy at <c>/user/&lt;proxy&gt;</c>,
/// through which every node reaches the one instance wherever it runs.</summary>
public static class ClusterSingletons
{
    /// <summary>Starts the manager of <paramref name="props"/> and returns the proxy.</summary>
    public static IActorRef Start(ActorSystem system, Props props, string managerName, string proxyName)
    {
        system.ActorOf(
            ClusterSingletonManager.Props(props, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system).WithSingletonName("singleton")),
            managerName);
        return system.ActorOf(
            ClusterSingletonProxy.Props($"/user/{managerName}", ClusterSingletonProxySettings.Create(system).WithSingletonName("singleton")),
            proxyName);
    }
}
