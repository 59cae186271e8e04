using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Agents;
using Orchestrator.Engine.Singletons;

namespace Orchestrator.Engine.Agents;

/// <summary>Marks the proxy of the agent registry (<c>/user/agents</c>) in the actor registry.</summary>
public sealed class AgentRegistryProxy;

/// <summary>Akka.Hosting registration of the agent registry: a cluster singleton (manager <c>/user/agent-registry</c>)
/// with its proxy at <c>/user/agents</c>, registered as <see cref="AgentRegistryProxy"/>.</summary>
public static class AgentRegistrySetup
{
    /// <summary>The proxy's actor name.</summary>
    public const string ProxyName = "agents";

    /// <summary>Starts the registry singleton and its proxy on <paramref name="system"/>; returns the proxy.</summary>
    public static IActorRef StartAgentRegistry(this ActorSystem system, AgentRegistrySettings settings, AgentRegistryOptions options, IActorRef? models) =>
        ClusterSingletons.Start(system, AgentRegistry.Props(settings, options, models), AgentRegistry.Id, ProxyName);

    /// <summary>Registers the agent registry; <paramref name="setup"/> gives its settings, options and the model manager
    /// once the actor system is up.</summary>
    public static AkkaConfigurationBuilder AddAgentRegistry(
        this AkkaConfigurationBuilder builder,
        Func<ActorSystem, IActorRegistry, (AgentRegistrySettings Settings, AgentRegistryOptions Options, IActorRef? Models)> setup) =>
        builder.WithActors((system, registry) =>
        {
            var (settings, options, models) = setup(system, registry);
            registry.Register<AgentRegistryProxy>(system.StartAgentRegistry(settings, options, models));
        });
}
