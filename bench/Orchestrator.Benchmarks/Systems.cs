using Akka.Actor;
using Akka.Configuration;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Benchmarks;

/// <summary>Actor systems persisting like a node (SQL journal) or, as the baseline, to Akka's in-memory journal and
/// snapshot store with the same actors, serializer and tagging adapter.</summary>
internal static class Systems
{
    private static readonly Config InMemory = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.persistence.journal.inmem {
          event-adapters {
            feed-tagger = "Orchestrator.Engine.Persistence.FeedTagger, Orchestrator.Engine"
          }
          event-adapter-bindings {
            "Orchestrator.Core.Messaging.IFeedEvent, Orchestrator.Core" = feed-tagger
          }
        }
        """);

    /// <summary>A local actor system persisting exactly like a node to <paramref name="database"/>.</summary>
    public static ActorSystem Sql(BenchDatabase database, string name = "bench") =>
        ActorSystem.Create(name, TransactionCounter.Counting(Experiment.Apply(
            PersistentActorSystemSetup.For(database.Settings, Experiment.Overrides.WithFallback(BenchDatabase.Quiet)), database.Settings)));

    /// <summary>The same system on Akka's in-memory journal.</summary>
    public static ActorSystem InMemoryJournal(string name = "bench-inmem")
    {
        var unused = PersistentActorSystemSetup.Settings(PersistenceProvider.Sqlite, Path.Combine(Path.GetTempPath(), "orch-bench-unused.db"));
        return ActorSystem.Create(name, PersistentActorSystemSetup.For(unused, BenchDatabase.Quiet.WithFallback(InMemory)));
    }

    public static async Task TerminateAsync(ActorSystem system) => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
}

/// <summary>Counts <see cref="ProbeCommands.Written"/> acknowledgements and completes when all have arrived.</summary>
internal sealed class AckCollector : ReceiveActor
{
    public AckCollector(int expected, TaskCompletionSource done)
    {
        var count = 0;
        Receive<ProbeCommands.Written>(_ =>
        {
            if (++count == expected)
                done.TrySetResult();
        });
    }

    public static Props Props(int expected, TaskCompletionSource done) => Akka.Actor.Props.Create(() => new AckCollector(expected, done));
}
