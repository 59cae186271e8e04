using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Singleton;
using Akka.Hosting;
using Orchestrator.Client;

namespace Orchestrator.Engine.Singletons;

/// <summary>The one way the node runs a cluster singleton: Akka.Hosting's <c>WithSingleton</c> starts its manager at
/// <c>/user/&lt;manager&gt;</c> (the singleton is its child <c>&lt;singleton&gt;</c>), and a proxy at
/// <c>/user/&lt;proxy&gt;</c>, registered in the actor registry, reaches the one instance from any node. Singletons run
/// on the oldest member of <see cref="ClusterRoles.Node"/> only: another application's member never hosts one, and is
/// never the oldest they wait for.</summary>
public static class ClusterSingletons
{
    /// <summary>How long a proxy may look for its singleton before <see cref="SingletonWatch"/> warns.</summary>
    public static readonly TimeSpan IdentificationFailurePeriod = TimeSpan.FromSeconds(30);

    /// <summary>Registers the singleton made by <paramref name="props"/> (given the actor system and registry once they
    /// are up) and its proxy. The proxy's own missing-singleton warning is off: it fires as the proxy starts, before any
    /// singleton could answer; <see cref="SingletonWatch"/> warns only when one is still missing after
    /// <see cref="IdentificationFailurePeriod"/>.</summary>
    public static AkkaConfigurationBuilder WithClusterSingleton<TProxy>(
        this AkkaConfigurationBuilder builder, string managerName, string singletonName, string proxyName,
        Func<ActorSystem, IActorRegistry, Props> props) =>
        builder
            .WithSingleton<SingletonManager<TProxy>>(managerName, singletonName, (system, registry, _) => props(system, registry),
                new ClusterSingletonOptions { LogSingletonIdentificationFailure = false, Role = ClusterRoles.Node }, createProxyToo: false)
            .WithActors((system, registry) => registry.Register<TProxy>(StartProxy(system, managerName, singletonName, proxyName)));

    /// <summary>Starts the proxy of the singleton <paramref name="singletonName"/> of the manager at
    /// <c>/user/<paramref name="managerName"/></c> as <c>/user/<paramref name="proxyName"/></c>, with a
    /// <see cref="SingletonWatch"/> beside it.</summary>
    public static IActorRef StartProxy(ActorSystem system, string managerName, string singletonName, string proxyName)
    {
        var settings = ClusterSingletonProxySettings.Create(system)
            .WithSingletonName(singletonName)
            .WithRole(ClusterRoles.Node)
            .WithLogSingletonIdentificationFailure(false);
        system.ActorOf(SingletonWatch.Props(singletonName, proxyName, IdentificationFailurePeriod), $"{proxyName}-watch");
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{managerName}", settings), proxyName);
    }

    /// <summary>Marks the manager of the singleton reached through <typeparamref name="TProxy"/> in the actor registry.</summary>
    public sealed class SingletonManager<TProxy>;
}
