using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Engine.Decisions.DispatchMessages;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>Journal faults injected with Akka.Persistence.TestKit while sessions dispatch through the node's decision
/// engine: failed and rejected dispatch writes, more of them than the node has slots, and recoveries that fail. No
/// fault leaks a slot (new sessions still dispatch), and every session that met one finishes once the journal is
/// back, running each task once.</summary>
public sealed class SessionJournalFaultSpec(ITestOutputHelper output)
    : TestKit(FaultyJournal.Config.WithFallback(EngineTestConfig.Default), output: output)
{
    private const int Slots = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Two independent tasks, both at once: each session asks for both of the node's slots.</summary>
    private static readonly WorkflowTemplate Pair = new("pair",
        [new WorkflowNode("a", "coder", "Task a", []), new WorkflowNode("b", "coder", "Task b", [])],
        new SessionSettingsSpec(MaxConcurrentTasks: 2), []);

    private IActorRef Decisions() => Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(Slots)));

    /// <summary>Session <paramref name="id"/> as a shard holds it: stopped, it starts again (and recovers) at the next
    /// message; <paramref name="stops"/> hears each stop.</summary>
    private OrchestratorClient Session(string id, IActorRef decisions, IActorRef model, TestProbe stops)
    {
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { [Pair.Name] = Pair }, model, decisions,
            new LiveFeed<SessionLiveEvent>());
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props(id, runtime), stops), $"session-{id}");
        return new OrchestratorClient(session, new LiveFeed<SessionLiveEvent>(), TimeSpan.FromSeconds(5));
    }

    private static (IActorRef Model, ScriptedModel.Log Log) InstantModel(ActorSystem system) =>
        ScriptedModels.Start(system, g => new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g))), "models");

    private async Task<DispatchStatus> DispatchStatusOf(IActorRef decisions) =>
        await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline);

    /// <summary>Waits until session <paramref name="id"/> has completed (asking wakes it: it recovers first).</summary>
    private async Task<SessionReplies.SessionDetail> Completed(OrchestratorClient client, string id)
    {
        SessionReplies.SessionDetail? detail = null;
        await AwaitAssertAsync(async () =>
        {
            detail = (await client.DetailAsync(id)).OrThrow();
            Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        }, Deadline);
        return detail!;
    }

    /// <summary>Each (session, task) the model was asked for, with how often.</summary>
    private static Dictionary<(string Session, string Task), int> Generations(ScriptedModel.Log log) =>
        log.Requests.Select(g => AttemptId.TryParse(g.RequestId, out var attempt, out _) ? (attempt.Session.Value, attempt.Task.Value) : ("?", g.RequestId))
            .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task Dispatch_writes_that_fail_more_often_than_the_node_has_slots_leak_none_and_every_session_finishes()
    {
        var decisions = Decisions();
        var (model, log) = InstantModel(Sys);
        var journal = FaultyJournal.Of(Sys);
        await journal.OnWrite.FailIf(p => p.Payload is SessionEvents.TaskDispatched);

        // One after another, each session is granted both slots and its dispatch write fails (as on a full disk): it
        // stops. Had a failed write kept its grants, the second would wait for a slot forever.
        var failed = new List<(string Id, OrchestratorClient Client)>();
        for (var i = 1; i <= 5; i++)
        {
            var id = $"failed-{i}";
            var stops = CreateTestProbe();
            var client = Session(id, decisions, model, stops);
            (await client.StartAsync(id, Pair.Name, new Dictionary<string, string>())).OrThrow();
            stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
            failed.Add((id, client));
        }
        await AwaitAssertAsync(async () =>
            Assert.Equal((0, 0), ((await DispatchStatusOf(decisions)).Granted, (await DispatchStatusOf(decisions)).WaitingSessions)), Deadline);
        Assert.Empty(log.Requests); // nothing ran without its TaskDispatched written

        await journal.OnWrite.Pass();
        var fresh = Session("fresh", decisions, model, CreateTestProbe());
        (await fresh.StartAsync("fresh", Pair.Name, new Dictionary<string, string>())).OrThrow();
        await Completed(fresh, "fresh");
        foreach (var (id, client) in failed)
            await Completed(client, id);

        var generations = Generations(log);
        Assert.Equal(12, generations.Count); // 6 sessions × 2 tasks
        Assert.All(generations, g => Assert.True(g.Value == 1, $"{g.Key} generated {g.Value} times"));
        await AwaitAssertAsync(async () => Assert.Equal(0, (await DispatchStatusOf(decisions)).Granted), Deadline);
    }

    [Fact]
    public async Task Dispatch_writes_the_journal_rejects_leak_no_slot_and_the_sessions_finish_once_it_takes_them()
    {
        var decisions = Decisions();
        var (model, log) = InstantModel(Sys);
        var journal = FaultyJournal.Of(Sys);
        await journal.OnWrite.RejectIf(p => p.Payload is SessionEvents.TaskDispatched);

        // A rejected write (the journal refused its events: too large, say) is not stored, and Akka leaves the actor
        // running without calling the write's handler: a session that went on would wait for that write forever,
        // holding its grants.
        var rejected = new List<(string Id, OrchestratorClient Client)>();
        for (var i = 1; i <= 3; i++)
        {
            var id = $"rejected-{i}";
            var stops = CreateTestProbe();
            var client = Session(id, decisions, model, stops);
            (await client.StartAsync(id, Pair.Name, new Dictionary<string, string>())).OrThrow();
            stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
            rejected.Add((id, client));
        }
        await AwaitAssertAsync(async () => Assert.Equal(0, (await DispatchStatusOf(decisions)).Granted), Deadline);
        Assert.Empty(log.Requests);

        await journal.OnWrite.Pass();
        var fresh = Session("fresh", decisions, model, CreateTestProbe());
        (await fresh.StartAsync("fresh", Pair.Name, new Dictionary<string, string>())).OrThrow();
        await Completed(fresh, "fresh");
        foreach (var (id, client) in rejected)
            await Completed(client, id);
        Assert.All(Generations(log), g => Assert.True(g.Value == 1, $"{g.Key} generated {g.Value} times"));
        Assert.Equal(8, Generations(log).Count);
    }

    [Fact]
    public async Task A_session_whose_writes_the_journal_rejects_every_time_fails_with_the_reason_instead_of_restarting_forever()
    {
        var decisions = Decisions();
        var (model, _) = InstantModel(Sys);
        var journal = FaultyJournal.Of(Sys);
        await journal.OnWrite.RejectIf(p => p.Payload is SessionEvents.TaskDispatched); // a plan it cannot store, say
        var stops = CreateTestProbe();
        var client = Session("poison", decisions, model, stops);

        (await client.StartAsync("poison", Pair.Name, new Dictionary<string, string>())).OrThrow();
        stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline); // rejected once
        (await client.StatusAsync("poison")).OrThrow(); // woken, it recovers and plans the same dispatches: rejected again
        stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);

        SessionReplies.SessionDetail? detail = null;
        await AwaitAssertAsync(async () =>
        {
            detail = (await client.DetailAsync("poison")).OrThrow();
            Assert.Equal(SessionLifecycle.Failed, detail.Status.Lifecycle);
        }, Deadline);
        Assert.Contains("the journal rejected the session's writes 2 times in a row", detail!.Status.EndReason);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await DispatchStatusOf(decisions)).Granted), Deadline);
    }

    [Fact]
    public async Task A_session_whose_recovery_fails_holds_no_slot_and_recovers_once_the_journal_reads_again()
    {
        var decisions = Decisions();
        var answers = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (model, log) = ScriptedModels.Start(Sys,
            g => new Script.Deferred(answers.Task.ContinueWith(t => ScriptedModel.Completion(ScriptedModel.TaskOf(g)), TaskScheduler.Default)), "models");
        var journal = FaultyJournal.Of(Sys);
        var stops = CreateTestProbe();
        var client = Session("s1", decisions, model, stops);
        (await client.StartAsync("s1", Pair.Name, new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () => Assert.Equal(Slots, (await DispatchStatusOf(decisions)).Granted), Deadline);
        AwaitCondition(() => log.Requests.Count == 2, Deadline);

        // The session crashes with both tasks in flight, and its journal cannot be read when it starts again.
        await journal.OnRecovery.Fail();
        Sys.ActorSelection("/user/session-s1/entity-1").Tell(Kill.Instance);
        stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        Sys.ActorSelection("/user/session-s1").Tell(new SessionCommands.GetSessionStatus("s1"));
        stops.ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        await AwaitAssertAsync(async () =>
            Assert.Equal((0, 0), ((await DispatchStatusOf(decisions)).Granted, (await DispatchStatusOf(decisions)).WaitingSessions)), Deadline);

        // Another session gets both slots meanwhile; once the journal reads again, the first recovers, dispatches
        // both tasks again (their first attempts died with the crash) and completes.
        answers.SetResult("now");
        var other = Session("other", decisions, model, CreateTestProbe());
        (await other.StartAsync("other", Pair.Name, new Dictionary<string, string>())).OrThrow();
        await Completed(other, "other");
        await journal.OnRecovery.Pass();
        var detail = await Completed(client, "s1");
        Assert.All(detail.Tasks, t => Assert.Equal(2, t.Attempt));
        await AwaitAssertAsync(async () => Assert.Equal(0, (await DispatchStatusOf(decisions)).Granted), Deadline);
    }
}
