using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Orchestrator.Node.Clustering;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Logs;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Hosting;

/// <summary>The Akka.Hosting wiring of a node: its HOCON, logging through Microsoft.Extensions.Logging, remoting,
/// the cluster (joined as <see cref="ClusterJoin"/> decides), the PostgreSQL lease its shards and singletons hold, and
/// SQL persistence.</summary>
public static class AkkaNodeSetup
{
    /// <summary>Configures <paramref name="builder"/> as an Orchestrator node; <paramref name="faults"/>, when given,
    /// hears of every failed journal statement (the readiness monitor then probes the database at once).</summary>
    public static AkkaConfigurationBuilder AddOrchestratorNode(
        this AkkaConfigurationBuilder builder, NodeSettings settings, NodeConfig config, JournalFaults? faults = null)
    {
        builder
            .AddHocon(ClusterHocon.For(settings).WithFallback(PersistenceHocon.For(settings.Persistence)).WithFallback(config.Config), HoconAddMode.Prepend)
            .AddHocon(PersistenceHocon.DefaultsFallback, HoconAddMode.Append)
            .AddSetup(JournalConnectionSetup.For(settings.Persistence, faults))
            .AddSetup(new LeaseKeeperSetup(ClusterHocon.LeaseKeeper(settings)))
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogForwarder>();
            })
            .WithRemoting(settings.Hostname, settings.RemotingPort)
            .WithClustering(new ClusterOptions()) // roles in ClusterHocon: quoted
            .AddStartup((system, _) => ClusterJoin.Start(system, settings));
        if (faults is not null) builder.AddSetup(new SqliteWriteJournalSetup(faults));
        return builder;
    }
}
