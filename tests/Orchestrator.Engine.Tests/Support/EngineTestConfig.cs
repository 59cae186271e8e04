using Akka.Configuration;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Actor-test configuration: the engine's own reference.conf (serializer bindings), Akka's in-memory journal
/// and snapshot store (which replays a <c>Tagged</c> wrapper as it is, so the feed tagger stays off here: the SQL
/// journal's tagging is covered by the persistence specs), and <c>serialize-messages = on</c> so an unregistered
/// message fails a test, not a cluster, also in specs that persist (<see cref="PersistencePlumbingSerializer"/>).</summary>
internal static class EngineTestConfig
{
    public static Config Default { get; } = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = on
        akka.loglevel = INFO
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """).WithFallback(ConfigurationFactory.ParseString(PersistencePlumbingSerializer.Bindings)).WithFallback(EngineReference());

    private static Config EngineReference()
    {
        var assembly = typeof(Orchestrator.Engine.Serialization.OrchestratorJsonSerializer).Assembly;
        using var stream = assembly.GetManifestResourceStream("Orchestrator.Engine.reference.conf")!;
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
