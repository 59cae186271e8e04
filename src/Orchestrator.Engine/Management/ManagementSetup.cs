using Akka.Hosting;

namespace Orchestrator.Engine.Management;

/// <summary>Akka.Hosting registration of the management actor.</summary>
public static class ManagementSetup
{
    /// <summary>Starts <see cref="ManagementActor"/> at <c>/user/management</c> and registers it for injection.</summary>
    public static AkkaConfigurationBuilder AddManagement(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
            registry.Register<ManagementActor>(system.ActorOf(ManagementActor.Props(), ManagementActor.Name)));
}
