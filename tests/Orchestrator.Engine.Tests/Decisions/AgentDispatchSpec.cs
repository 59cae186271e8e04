using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Engine.Decisions.DispatchMessages;

namespace Orchestrator.Engine.Tests.Decisions;

/// <summary>Sessions dispatch through the node's decision engine: tasks run as the registered agents it picks (learned
/// quality steers them, an agent whose model stops is not chosen), the chosen agent is in the session's state and its
/// outcomes are learned under its name, and a session that stops between a grant and its <c>TaskDispatched</c> write
/// gives every slot back.</summary>
public sealed class AgentDispatchSpec(ITestOutputHelper output)
    : TestKit(GatedMemoryJournal.Config.WithFallback(EngineTestConfig.Default), output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlySet<string> Models = new HashSet<string> { "m-good", "m-flaky", "m-other" };
    private static readonly AgentRegistrySettings Settings = new(Models);

    /// <summary>Independent tasks of role coder, one at a time (so each choice can learn from the outcomes before it).</summary>
    private static WorkflowTemplate Independent(int count, int concurrency = 1) => new("many",
        [.. Enumerable.Range(0, count).Select(i => new WorkflowNode($"t{i:00}", "coder", $"Task {i}", [], Kind: "code"))],
        new SessionSettingsSpec(MaxConcurrentTasks: concurrency), []);

    private IActorRef Registry(params RegisterAgent[] agents)
    {
        var registry = Sys.ActorOf(AgentRegistry.Props(Settings), $"agents-{Guid.NewGuid():N}");
        foreach (var agent in agents)
            Assert.IsType<AgentAccepted>(registry.Ask<object>(agent, Deadline).Result);
        return registry;
    }

    private IActorRef Decisions(int slots, IActorRef registry, IActorRef? pools = null)
    {
        var decisions = Sys.ActorOf(DecisionEngine.Props(
            new DecisionEngineSettings(slots, Settings, HealthInterval: TimeSpan.FromMilliseconds(100)), registry, pools));
        AwaitAssert(() => Assert.True(decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline).Result.RegistryKnown), Deadline);
        return decisions;
    }

    private OrchestratorClient Session(string id, WorkflowTemplate template, IActorRef decisions, IActorRef model, IActorRef? agents = null)
    {
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { [template.Name] = template }, model, decisions,
            new LiveFeed<SessionLiveEvent>(), Agents: agents);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props(id, runtime), CreateTestProbe()), $"session-{id}-{Guid.NewGuid():N}");
        return new OrchestratorClient(session, new LiveFeed<SessionLiveEvent>(), TimeSpan.FromSeconds(5));
    }

    private async Task<SessionReplies.SessionDetail> Finished(OrchestratorClient client, string id)
    {
        SessionReplies.SessionDetail? detail = null;
        await AwaitAssertAsync(async () =>
        {
            detail = (await client.DetailAsync(id)).OrThrow();
            Assert.True(detail.Status.Lifecycle is SessionLifecycle.Completed or SessionLifecycle.Failed, $"{detail.Status.Lifecycle}");
        }, Deadline);
        return detail!;
    }

    [Fact]
    public async Task The_agent_that_succeeds_gets_most_tasks_the_other_is_still_tried_and_outcomes_are_learned_by_agent_name()
    {
        var registry = Registry(new RegisterAgent("good", "coder", [], "m-good"), new RegisterAgent("flaky", "coder", [], "m-flaky"));
        var decisions = Decisions(4, registry);
        var flakyCalls = 0;
        // A reply takes a moment, as a model's does: the registry learns each outcome before the task after next is chosen.
        var (model, _) = ScriptedModels.Start(Sys, g =>
            g.Model == "m-flaky" && Interlocked.Increment(ref flakyCalls) % 2 == 0
                ? new Script.Fail(FailureCodes.PoolFailed, "the flaky model failed")
                : new Script.Deferred(Task.Delay(25).ContinueWith(_ => "done", TaskScheduler.Default)), "models");
        var client = Session("learn", Independent(50), decisions, model, registry);

        (await client.StartAsync("learn", "many", new Dictionary<string, string>())).OrThrow();
        var detail = await Finished(client, "learn");

        var byAgent = detail.Tasks.GroupBy(t => t.Agent ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byAgent.GetValueOrDefault("good") >= 40, $"the better agent ran {byAgent.GetValueOrDefault("good")} of 50");
        Assert.True(byAgent.GetValueOrDefault("flaky") > 0, "the worse agent was never tried");
        Assert.All(detail.Tasks, t => Assert.Equal(t.Agent == "good" ? "m-good" : "m-flaky", t.Model));
        await AwaitAssertAsync(async () =>
        {
            var good = await registry.Ask<AgentStatus>(new GetAgent("good"), Deadline);
            Assert.Equal(byAgent["good"], good.Overall.Samples);
        }, Deadline);
    }

    [Fact]
    public async Task An_agent_whose_model_stops_is_not_chosen_and_the_session_goes_on_on_the_other()
    {
        var registry = Registry(new RegisterAgent("ann", "coder", [], "m-good", 4), new RegisterAgent("bob", "coder", [], "m-other", 4));
        var pools = Sys.ActorOf(Props.Create(() => new ModelPools()));
        pools.Tell(new ModelPools.Start("m-good"));
        pools.Tell(new ModelPools.Start("m-other"));
        var decisions = Decisions(8, registry, pools);
        pools.Tell(new ModelPools.Stop("m-good"));
        AwaitAssert(() => Assert.Contains("m-good", decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline).Result.ModelsDown), Deadline);
        var (model, log) = ScriptedModels.Start(Sys, _ => new Script.Reply("done"), "models");
        var client = Session("down", Independent(12, concurrency: 4), decisions, model);

        (await client.StartAsync("down", "many", new Dictionary<string, string>())).OrThrow();
        var detail = await Finished(client, "down");

        Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        Assert.All(detail.Tasks, t => Assert.Equal(("bob", "m-other"), (t.Agent, t.Model)));
        Assert.All(log.Requests, r => Assert.Equal("m-other", r.Model));
    }

    [Fact]
    public async Task An_agent_whose_model_only_another_node_serves_runs_and_is_down_once_no_node_serves_it()
    {
        var registry = Registry(new RegisterAgent("ann", "coder", [], "m-good", 4));
        var pools = Sys.ActorOf(Props.Create(() => new ModelPools()));
        pools.Tell(new ModelPools.Start("m-other")); // this node serves m-other only
        var router = CreateTestProbe();
        var decisions = Sys.ActorOf(DecisionEngine.Props(new DecisionEngineSettings(8, Settings, ServedModels: new HashSet<string> { "m-other" },
            HealthInterval: TimeSpan.FromMilliseconds(100)), registry, pools, router.Ref));
        router.ExpectMsg<ModelRouter.SubscribeModelsElsewhere>(Deadline);
        AwaitAssert(() => Assert.Contains("m-good", decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline).Result.ModelsDown), Deadline);

        router.LastSender.Tell(new ModelRouter.ModelsElsewhere(new HashSet<string> { "m-good" }));
        var (model, log) = ScriptedModels.Start(Sys, _ => new Script.Reply("done"), "models");
        var client = Session("elsewhere", Independent(3, concurrency: 3), decisions, model);
        (await client.StartAsync("elsewhere", "many", new Dictionary<string, string>())).OrThrow();
        var detail = await Finished(client, "elsewhere");
        Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        Assert.All(detail.Tasks, t => Assert.Equal(("ann", "m-good"), (t.Agent, t.Model)));
        Assert.Equal(3, log.Requests.Count(r => r.Model == "m-good"));

        router.LastSender.Tell(new ModelRouter.ModelsElsewhere(new HashSet<string>()));
        AwaitAssert(() => Assert.Contains("m-good", decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline).Result.ModelsDown), Deadline);
    }

    [Fact]
    public async Task A_session_that_stops_between_its_grants_and_their_write_gives_every_slot_back_and_nothing_runs_twice()
    {
        var decisions = Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(2)));
        var (model, log) = ScriptedModels.Start(Sys, _ => new Script.Reply("done"), "models");
        var journal = GatedMemoryJournal.Of(Sys);
        await journal.Ask<Akka.Done>(new GatedMemoryJournal.FailWrites(e => e is SessionEvents.TaskDispatched), Deadline);
        var crashed = Session("crashed", Independent(2, concurrency: 2), decisions, model);

        (await crashed.StartAsync("crashed", "many", new Dictionary<string, string>())).OrThrow();
        // The dispatch write fails: the session stops (as on a full disk) holding both of the node's slots.
        await AwaitAssertAsync(async () =>
        {
            var status = await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline);
            Assert.Equal((0, 0), (status.Granted, status.WaitingSessions));
        }, Deadline);
        Assert.Empty(log.Requests);

        await journal.Ask<Akka.Done>(GatedMemoryJournal.HealWrites.Instance, Deadline);
        var other = Session("other", Independent(4, concurrency: 2), decisions, model);
        (await other.StartAsync("other", "many", new Dictionary<string, string>())).OrThrow();
        Assert.Equal(SessionLifecycle.Completed, (await Finished(other, "other")).Status.Lifecycle);

        // The stopped session, started again, recovers and runs each of its tasks once.
        var again = Session("crashed", Independent(2, concurrency: 2), decisions, model);
        var detail = await Finished(again, "crashed");
        Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        Assert.Equal(6, log.Requests.Count);
        Assert.Equal(2, log.Requests.Count(r => r.Prompt?.Contains("Task 0") == true));
        await AwaitAssertAsync(async () =>
            Assert.Equal(0, (await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline)).Granted), Deadline);
    }
}
