using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Agents;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Engine.Tests.Agents;

public sealed class AgentRegistrySpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly AgentRegistrySettings Settings = new(
        new HashSet<string> { "m1", "m2" }, new HashSet<string> { "coder", "reviewer" });

    private IActorRef StartRegistry(IActorRef? models = null, int snapshotEvery = 200) =>
        Sys.ActorOf(AgentRegistry.Props(Settings, new AgentRegistryOptions(TimeSpan.FromMilliseconds(100), snapshotEvery), models));

    private T Ask<T>(IActorRef registry, object message)
    {
        registry.Tell(message, TestActor);
        return ExpectMsg<T>(Deadline);
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor, Deadline);
    }

    [Fact]
    public void Agents_outcomes_and_assignments_survive_a_restart_over_the_same_journal()
    {
        var registry = StartRegistry();
        Ask<AgentAccepted>(registry, new RegisterAgent("ada", "coder", ["csharp"], "m1", 2, new Dictionary<string, double> { ["review"] = 0.4 }));
        Ask<AgentAccepted>(registry, new RegisterAgent("bob", "reviewer", ["csharp"], "m2", 2));
        Ask<AgentSelected>(registry, new AssignTask("t1", "ada", "review"));
        registry.Tell(new RecordTaskOutcome("bob", "review", "s1/t1/1", true, TimeSpan.FromSeconds(2), 200, DateTimeOffset.UtcNow));
        registry.Tell(new RecordTaskOutcome("bob", "review", "s1/t2/1", true, TimeSpan.FromSeconds(4), 200, DateTimeOffset.UtcNow));
        var before = Ask<AgentAnalytics>(registry, new GetAgentAnalytics("bob", "review"));
        Stop(registry);

        var again = StartRegistry();

        var list = Ask<AgentList>(again, new ListAgents());
        Assert.Equal(["ada", "bob"], list.Agents.Select(a => a.Agent.Name));
        Assert.Equal(1, list.Agents[0].InFlight);
        var after = Ask<AgentAnalytics>(again, new GetAgentAnalytics("bob", "review"));
        var stats = Assert.Single(after.Entries).Stats;
        Assert.Equal(before.Entries.Single().Stats, stats);
        Assert.Equal(2, stats.Samples);
        Assert.Equal(2400, stats.LatencyMs, 6); // 2000 + 0.2 × (4000 − 2000)
    }

    [Fact]
    public void A_registry_recovers_from_its_snapshot_and_the_events_after_it()
    {
        var registry = StartRegistry(snapshotEvery: 2);
        for (var i = 0; i < 5; i++) Ask<AgentAccepted>(registry, new RegisterAgent($"a{i}", "coder", [], "m1"));
        Ask<AgentDeleted>(registry, new RemoveAgent("a0"));
        Stop(registry);

        var again = StartRegistry(snapshotEvery: 2);
        Assert.Equal(["a1", "a2", "a3", "a4"], Ask<AgentList>(again, new ListAgents()).Agents.Select(a => a.Agent.Name));
    }

    [Fact]
    public void An_unknown_role_or_a_model_that_is_not_configured_is_refused_with_the_reason()
    {
        var registry = StartRegistry();
        Assert.Contains("unknown role 'poet'", Ask<AgentRefused>(registry, new RegisterAgent("ada", "poet", [], "m1")).Reason);
        Assert.Contains("model 'gpt-9' of agent 'ada' is not configured", Ask<AgentRefused>(registry, new RegisterAgent("ada", "coder", [], "gpt-9")).Reason);
        Assert.Empty(Ask<AgentList>(registry, new ListAgents()).Agents);
    }

    [Fact]
    public void An_agent_may_run_on_a_model_another_node_serves_which_is_alive_while_that_node_serves_it()
    {
        var pools = Sys.ActorOf(Props.Create(() => new ModelPools()));
        pools.Tell(new ModelPools.Start("m1"));
        var router = CreateTestProbe();
        var registry = Sys.ActorOf(AgentRegistry.Props(Settings, new AgentRegistryOptions(TimeSpan.FromMilliseconds(100), 200), pools, router.Ref));
        router.ExpectMsg<ModelRouter.SubscribeModelsElsewhere>(Deadline);
        Assert.Contains("model 'big' of agent 'ada' is not configured", Ask<AgentRefused>(registry, new RegisterAgent("ada", "coder", [], "big")).Reason);

        router.LastSender.Tell(new ModelRouter.ModelsElsewhere(new HashSet<string> { "big" }));
        Ask<AgentAccepted>(registry, new RegisterAgent("ada", "coder", [], "big"));
        // The probe of this node's pools finds no 'big' here, and it stays alive: another node serves it.
        AwaitAssert(() => Assert.True(registry.Ask<AgentStatus>(new GetAgent("ada"), Deadline).Result.Healthy), Deadline);

        router.LastSender.Tell(new ModelRouter.ModelsElsewhere(new HashSet<string>()));
        AwaitAssert(() => Assert.False(registry.Ask<AgentStatus>(new GetAgent("ada"), Deadline).Result.Healthy), Deadline);
    }

    [Fact]
    public void Selection_prefers_the_agent_that_learned_to_do_the_kind_well()
    {
        var registry = StartRegistry();
        Ask<AgentAccepted>(registry, new RegisterAgent("ada", "coder", ["csharp"], "m1", 4));
        Ask<AgentAccepted>(registry, new RegisterAgent("bob", "coder", ["csharp"], "m1", 4));
        for (var i = 0; i < 5; i++)
        {
            registry.Tell(new RecordTaskOutcome("ada", "review", $"a{i}", false, TimeSpan.FromSeconds(1), 10, DateTimeOffset.UtcNow));
            registry.Tell(new RecordTaskOutcome("bob", "review", $"b{i}", true, TimeSpan.FromSeconds(1), 10, DateTimeOffset.UtcNow));
        }
        Assert.Equal("bob", Ask<AgentSelected>(registry, new SelectAgent("t1", "review", ["csharp"])).Agent);
        Assert.Contains("no registered agent has capabilities rust", Ask<NoAgentAvailable>(registry, new SelectAgent("t2", "review", ["rust"])).Reason);
        Assert.True(Ask<TaskReleased>(registry, new ReleaseTask("t1")).Held);
    }

    [Fact]
    public void An_agent_whose_model_actor_is_gone_is_unhealthy_and_not_chosen_until_it_is_back()
    {
        var models = Sys.ActorOf(Props.Create(() => new ModelPools()), "models");
        models.Tell(new ModelPools.Start("m1"));
        models.Tell(new ModelPools.Start("m2"));
        var registry = StartRegistry(models);
        Ask<AgentAccepted>(registry, new RegisterAgent("ada", "coder", [], "m1", 1, new Dictionary<string, double> { ["k"] = 0.9 }));
        Ask<AgentAccepted>(registry, new RegisterAgent("bob", "coder", [], "m2", 1));

        models.Tell(new ModelPools.Stop("m1"));
        AwaitAssert(() => Assert.False(Ask<AgentStatus>(registry, new GetAgent("ada")).Healthy), Deadline);
        Assert.True(Ask<AgentStatus>(registry, new GetAgent("bob")).Healthy);
        Assert.Equal("bob", Ask<AgentSelected>(registry, new SelectAgent("t1", "k", [])).Agent);
        Assert.Contains("down", Ask<AgentRefused>(registry, new AssignTask("t2", "ada", "k")).Reason);

        models.Tell(new ModelPools.Start("m1"));
        AwaitAssert(() => Assert.True(Ask<AgentStatus>(registry, new GetAgent("ada")).Healthy), Deadline);
        Assert.Equal("ada", Ask<AgentSelected>(registry, new SelectAgent("t3", "k", [])).Agent);
    }

}
