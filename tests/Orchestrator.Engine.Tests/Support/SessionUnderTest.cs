using Akka.Actor;
using Akka.TestKit;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Session <c>s1</c> (or another id) over one template, as a shard would hold it (<see cref="PassivatingParent"/>, telling the
/// test actor each time its entity stops), with a client; the node's own decision engine unless another is given.</summary>
internal sealed record SessionUnderTest(IActorRef Session, OrchestratorClient Client)
{
    public const string Id = "s1";

    public static SessionUnderTest Start(TestKitBase kit, WorkflowTemplate template, IActorRef model, IActorRef? decisions = null,
        IActorRef? agents = null, int snapshotEvery = 500, string id = Id)
    {
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { [template.Name] = template }, model,
            decisions ?? kit.Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))), feed, Agents: agents,
            SnapshotEvery: snapshotEvery);
        var session = kit.Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props(id, runtime), kit.TestActor));
        return new SessionUnderTest(session, new OrchestratorClient(session, feed, TimeSpan.FromSeconds(5)));
    }

    /// <summary>A model that answers every task at once with a completion.</summary>
    public static IActorRef InstantModel(ActorSystem system) =>
        ScriptedModels.Start(system, g => new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g))), $"model-{Guid.NewGuid():N}").Model;

    /// <summary>Kills incarnation <paramref name="incarnation"/> of the entity (as a crash would), waits until it is gone,
    /// and wakes the next one with a query: it recovers from the journal.</summary>
    public async Task CrashAndRecoverAsync(TestKitBase kit, int incarnation, TimeSpan deadline)
    {
        kit.Sys.ActorSelection(Session.Path / $"entity-{incarnation}").Tell(Kill.Instance);
        kit.ExpectMsg<PassivatingParent.EntityStopped>(deadline);
        (await Client.StatusAsync(Id)).OrThrow();
    }
}
