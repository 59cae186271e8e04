using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Singleton;
using Akka.Hosting;
using Orchestrator.Core.Councils;

namespace Orchestrator.Engine.Councils;

/// <summary>Akka.Hosting registration of the council directory: the <see cref="CouncilDirectory"/> cluster singleton
/// (its manager at <c>/user/council-directory</c>) and a proxy at <c>/user/councils</c>, registered in the actor
/// registry under <see cref="CouncilDirectory"/>, through which any node reaches the one directory.</summary>
public static class CouncilDirectorySetup
{
    /// <summary>The proxy's name under <c>/user</c>.</summary>
    public const string ProxyName = "councils";

    /// <summary>The singleton manager's name under <c>/user</c>.</summary>
    public const string ManagerName = "council-directory";

    /// <summary>Starts the singleton and its proxy; <paramref name="agents"/> is what councils are validated against.</summary>
    public static AkkaConfigurationBuilder AddCouncilDirectory(this AkkaConfigurationBuilder builder, AgentCatalog? agents) =>
        builder
            .WithSingleton<CouncilDirectoryManager>(ManagerName, "directory", CouncilDirectory.Props(agents), new ClusterSingletonOptions(),
                createProxyToo: false)
            .WithActors((system, registry) =>
            {
                var proxy = system.ActorOf(
                    ClusterSingletonProxy.Props($"/user/{ManagerName}", ClusterSingletonProxySettings.Create(system).WithSingletonName("directory")),
                    ProxyName);
                registry.Register<CouncilDirectory>(proxy);
            });

    /// <summary>Marks the singleton manager in the actor registry.</summary>
    public sealed class CouncilDirectoryManager;
}
