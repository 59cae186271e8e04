using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session snapshots by the events written since its last snapshot, counted across incarnations: one that
/// is restarted often, writing a few events each time, still gets a snapshot (before, the count started at 0 in every
/// incarnation and such a session replayed everything on every recovery).</summary>
public sealed class SessionSnapshotSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_session_restarted_after_every_few_events_still_gets_a_snapshot()
    {
        var (model, _) = ScriptedModels.Start(Sys, _ => new Script.Hang(), $"model-{Guid.NewGuid():N}");
        var template = new WorkflowTemplate("one", [new WorkflowNode("a", "analyst", "do it", [])], SessionSettingsSpec.Empty, []);
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { ["one"] = template }, model, Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))), feed,
            SnapshotEvery: 8, MaxInterruptions: 100); // its task is cut short at every restart, on purpose
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props("s1", runtime), TestActor));
        var client = new OrchestratorClient(session, feed, TimeSpan.FromSeconds(5));

        (await client.StartAsync("s1", "one", new Dictionary<string, string>())).OrThrow();
        for (var incarnation = 1; incarnation <= 5; incarnation++)
        {
            // At most three events an incarnation: a pause or a resume, and the redispatch of the task in flight.
            var reply = incarnation % 2 == 1 ? await client.PauseAsync("s1") : await client.ResumeAsync("s1");
            reply.OrThrow();
            Sys.ActorSelection(session.Path / $"entity-{incarnation}").Tell(Kill.Instance);
            ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        }
        // A sixth incarnation writes its few events and lives on: a snapshot that fell due in one that was killed at once
        // may not have been saved (the kill can come before the write's completion), but it is due here still. With the
        // count starting at 0 in every incarnation, none would be.
        (await client.ResumeAsync("s1")).OrThrow();

        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        await AwaitAssertAsync(async () =>
        {
            var loaded = await store.Ask<LoadSnapshotResult>(
                new LoadSnapshot(SessionId.Parse("s1").PersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Deadline);
            Assert.NotNull(loaded.Snapshot);
        }, Deadline);
    }
}
