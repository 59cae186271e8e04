using Akka.Cluster.Tools.Client;
using Akka.Hosting;
using Orchestrator.Client;

namespace Orchestrator.Engine.Sessions;

/// <summary>Akka.Hosting registration of the session gateway.</summary>
public static class SessionGatewaySetup
{
    /// <summary>Starts the gateway in front of the <c>session</c> region at <see cref="SessionGateway.Path"/> and registers
    /// it with the node's <c>ClusterClientReceptionist</c>.</summary>
    public static AkkaConfigurationBuilder AddSessionGateway(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
        {
            var gateway = system.ActorOf(SessionGatewayActor.Props(registry.Get<SessionRegion>()), SessionGateway.Name);
            ClusterClientReceptionist.Get(system).RegisterService(gateway);
            registry.Register<SessionGatewayActor.Registered>(gateway);
        });
}
