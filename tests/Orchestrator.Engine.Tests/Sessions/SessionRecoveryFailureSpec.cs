using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session whose events cannot be read back (injected with Akka.Persistence.TestKit, as a corrupt event
/// would) is failed-to-recover with the reason: whoever asked during the failed recovery, and every query after it, is
/// answered at once with a refusal naming it, instead of waiting for a timeout while the session is started and fails
/// again; once it is time to try again and the events read, the session recovers as it was.</summary>
public sealed class SessionRecoveryFailureSpec(ITestOutputHelper output)
    : TestKit(FaultyJournal.Config.WithFallback(EngineTestConfig.Default), output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly WorkflowTemplate Pair = new("pair",
        [new WorkflowNode("a", "coder", "Task a", []), new WorkflowNode("b", "coder", "Task b", [])],
        new SessionSettingsSpec(MaxConcurrentTasks: 2), []);

    [Fact]
    public async Task A_session_whose_events_cannot_be_read_answers_at_once_with_the_reason_and_recovers_once_they_can()
    {
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { [Pair.Name] = Pair }, SessionUnderTest.InstantModel(Sys),
            Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(2))), new LiveFeed<SessionLiveEvent>(),
            Unrecovered: new SessionRecoveryFailures(TimeSpan.FromSeconds(2)));
        var stops = CreateTestProbe();
        var session = Sys.ActorOf(PassivatingParent.Props(() => UnrecoverableSession.EntityProps("s1", runtime), stops), "session-s1");
        // Each ask gets a short timeout: an answer that waits for it fails the spec.
        var client = new OrchestratorClient(session, new LiveFeed<SessionLiveEvent>(), TimeSpan.FromSeconds(3));
        (await client.StartAsync("s1", Pair.Name, new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () => Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("s1")).OrThrow().Lifecycle), Deadline);

        // The session stops (a crash, a passivation) and its events can no longer be read.
        var journal = FaultyJournal.Of(Sys);
        await journal.OnRecovery.FailIf(p => p.Payload is SessionEvents.TaskSucceeded);
        Sys.ActorSelection("/user/session-s1/entity-1").Tell(Kill.Instance);
        stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);

        // The query that wakes it is answered by the failed recovery; the next by the failed-to-recover stand-in.
        var woken = await client.StatusAsync("s1");
        stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        var again = await client.DetailAsync("s1");
        foreach (var refusal in new[] { woken.Rejected, again.Rejected })
        {
            Assert.NotNull(refusal);
            var problem = Assert.Single(refusal.Problems);
            Assert.Contains("Session 's1' cannot be recovered from the journal", problem);
            Assert.Contains("session-s1", problem); // Akka's reason names the persistence id
            Assert.Contains("recovery is tried again", problem);
        }

        // Once the events read again, the next try recovers the session as it was.
        await journal.OnRecovery.Pass();
        await AwaitAssertAsync(async () =>
        {
            var detail = (await client.DetailAsync("s1")).OrThrow();
            Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
            Assert.All(detail.Tasks, t => Assert.Equal(TaskRunState.Succeeded, t.State));
        }, Deadline);
    }
}
