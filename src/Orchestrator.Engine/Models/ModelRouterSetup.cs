using Akka.Actor;
using Akka.Hosting;

namespace Orchestrator.Engine.Models;

/// <summary>Akka.Hosting registration of the node's <see cref="ModelRouter"/> (<c>/user/model-router</c>), registered under
/// its own type.</summary>
public static class ModelRouterSetup
{
    /// <summary>The router's actor name.</summary>
    public const string Name = "model-router";

    /// <summary>Starts the router; <paramref name="setup"/> gives the node's model manager, the models it serves and the
    /// router's settings once the actor system is up.</summary>
    public static AkkaConfigurationBuilder AddModelRouter(
        this AkkaConfigurationBuilder builder,
        Func<ActorSystem, IActorRegistry, (IActorRef Local, IReadOnlySet<string> LocalModels, ModelRouterSettings Settings)> setup) =>
        builder.WithActors((system, registry) =>
        {
            var (local, models, settings) = setup(system, registry);
            registry.Register<ModelRouter>(system.ActorOf(ModelRouter.Props(local, models, settings), Name));
        });
}
