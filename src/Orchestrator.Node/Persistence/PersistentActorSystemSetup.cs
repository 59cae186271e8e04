using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>The setup of an actor system that persists exactly as a node does (same plugin configuration, batching,
/// connection hooks, serializer and tagging) without the rest of the node: for specs, benchmarks and tools.</summary>
public static class PersistentActorSystemSetup
{
    /// <summary>A local (non-cluster) actor system persisting to the database of <paramref name="settings"/>;
    /// <paramref name="overrides"/> take precedence over everything.</summary>
    public static ActorSystemSetup For(PersistenceSettings settings, Config? overrides = null)
    {
        var config = (overrides ?? Config.Empty)
            .WithFallback(ConfigurationFactory.ParseString("akka.actor.provider = local"))
            .WithFallback(PersistenceHocon.For(settings))
            .WithFallback(NodeConfigLoader.Load(null).Config)
            .WithFallback(PersistenceHocon.DefaultsFallback);
        return BootstrapSetup.Create().WithConfig(config).And(JournalConnectionSetup.For(settings));
    }

    /// <summary>The node's default persistence settings with another provider, file or connection string.</summary>
    public static PersistenceSettings Settings(PersistenceProvider provider, string sqlitePathOrConnectionString) =>
        PersistenceSettings.From(NodeConfigLoader.Load(null)) is var defaults && provider == PersistenceProvider.Sqlite
            ? defaults with { Provider = provider, SqlitePath = sqlitePathOrConnectionString }
            : defaults with { Provider = provider, PostgreSqlConnectionString = sqlitePathOrConnectionString, Parallelism = 2 };
}
