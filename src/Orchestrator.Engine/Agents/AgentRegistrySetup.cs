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

    /// <summary>Registers the agent registry; <paramref name="setup"/> gives its settings, options, the model manager and
    /// the model router (none: only this node's models) once the actor system is up.</summary>
    public static AkkaConfigurationBuilder AddAgentRegistry(
        this AkkaConfigurationBuilder builder,
        Func<ActorSystem, IActorRegistry, (AgentRegistrySettings Settings, AgentRegistryOptions Options, IActorRef? Models, IActorRef? Router)> setup) =>
        builder.WithClusterSingleton<AgentRegistryProxy>(AgentRegistry.Id, AgentRegistry.Id, ProxyName, (system, registry) =>
        {
            var (settings, options, models, router) = setup(system, registry);
            return AgentRegistry.Props(settings, options, models, router);
        });
}
