using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.TestKit;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Akka.Persistence.TestKit's journal and snapshot store (in memory, as Akka's own) as the system's, so a spec
/// can make writes fail or be rejected and recoveries fail, while it runs, through <see cref="Of"/>.</summary>
internal static class FaultyJournal
{
    /// <summary>Makes the test journal and snapshot store the system's.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka.persistence.journal {
          plugin = "akka.persistence.journal.test"
          test {
            class = "{{typeof(TestJournal).AssemblyQualifiedName}}"
            plugin-dispatcher = "akka.actor.default-dispatcher"
          }
        }
        akka.persistence.snapshot-store {
          plugin = "akka.persistence.snapshot-store.test"
          test {
            class = "{{typeof(TestSnapshotStore).AssemblyQualifiedName}}"
            plugin-dispatcher = "akka.actor.default-dispatcher"
          }
        }
        """);

    /// <summary>The journal of <paramref name="system"/>, whose <c>OnWrite</c> and <c>OnRecovery</c> set what its writes
    /// and recoveries do from now on.</summary>
    public static ITestJournal Of(ActorSystem system) =>
        TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null));
}
