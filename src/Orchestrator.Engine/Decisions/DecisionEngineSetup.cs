using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Engine.Models;

namespace Orchestrator.Engine.Decisions;

/// <summary>Akka.Hosting registration of the node's <see cref="DecisionEngine"/> (<c>/user/decisions</c>), registered
/// under its own type.</summary>
public static class DecisionEngineSetup
{
    /// <summary>The engine's actor name.</summary>
    public const string Name = "decisions";

    /// <summary>Starts the engine; <paramref name="setup"/> gives its settings, the registry's proxy, the model manager,
    /// the model router and the view of serving models it keeps, once the actor system is up.</summary>
    public static AkkaConfigurationBuilder AddDecisionEngine(
        this AkkaConfigurationBuilder builder,
        Func<ActorSystem, IActorRegistry, (DecisionEngineSettings Settings, IActorRef? Registry, IActorRef? Models, IActorRef? Router,
            ModelServingView? Serving)> setup) =>
        builder.WithActors((system, registry) =>
        {
            var (settings, agents, models, router, serving) = setup(system, registry);
            registry.Register<DecisionEngine>(system.ActorOf(DecisionEngine.Props(settings, agents, models, router, serving), Name));
        });
}
