using Akka.Hosting;
using Orchestrator.Core.Councils;
using Orchestrator.Engine.Singletons;

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
        builder.WithClusterSingleton<CouncilDirectory>(ManagerName, "directory", ProxyName, (_, _) => CouncilDirectory.Props(agents));
}
