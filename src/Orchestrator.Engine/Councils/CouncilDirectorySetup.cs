using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Models;
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

    /// <summary>Starts the singleton and its proxy; a council's agents must be servable by <paramref name="serving"/>
    /// (the view of the node the singleton runs on) when it is created; a list carries at most <paramref name="page"/>.</summary>
    public static AkkaConfigurationBuilder AddCouncilDirectory(this AkkaConfigurationBuilder builder, ModelServingView? serving = null,
        Func<ActorSystem, ReplyPageSize>? page = null) =>
        builder.WithClusterSingleton<CouncilDirectory>(ManagerName, "directory", ProxyName,
            (system, _) => CouncilDirectory.Props(serving is null ? null : () => serving.Current, page: page?.Invoke(system)));
}
