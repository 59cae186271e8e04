using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
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

namespace Orchestrator.Engine.Tests.Councils;

/// <summary>Council and group chat members that name only a role get their agents from the node's decision engine, as a
/// session's tasks do: learned quality steers them, an agent whose model is down or that is at its limit is not chosen,
/// each grant is given back when the member's generation is over or the council stops, outcomes are learned under the
/// agent's name, and a member nothing here can run fails the node with the reason.</summary>
public sealed class CouncilMemberAgentsSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlySet<string> Models = new HashSet<string> { "m-good", "m-flaky", "m-other" };
    private static readonly AgentRegistrySettings Settings = new(Models);

    /// <summary>Three members of role DEV, one round, every round run; the node itself is of role lead, which no agent has.</summary>
    private static readonly CouncilSpec Devs = new(
        [new("dev-1", "DEV"), new("dev-2", "DEV"), new("dev-3", "DEV")], Rounds: 1, Consensus: CouncilConsensus.None);

    private static WorkflowTemplate Council(CouncilSpec council) =>
        new("council", [new WorkflowNode("write", "lead", "Write max", [], Kind: "code", Council: council)], SessionSettingsSpec.Empty, []);

    private static string Key(Generate g) => ScriptedModel.KeyOf(g);

    private static string? Step(Generate g) => Key(g).Split('/') is [_, var step, ..] ? step : null;

    /// <summary>Drafts, critiques (every answer scored 0.8) and revisions; a chat's turns.</summary>
    private static Script Deliberates(Generate g) => Step(g) switch
    {
        "critique" => new Script.Reply("""{"score": 0.8, "approve": false, "critique": "tighten it"}"""),
        _ => new Script.Reply($"answer to {Key(g)}"),
    };

    private IActorRef Registry(params RegisterAgent[] agents)
    {
        var registry = Sys.ActorOf(AgentRegistry.Props(Settings), $"agents-{Guid.NewGuid():N}");
        foreach (var agent in agents)
            Assert.IsType<AgentAccepted>(registry.Ask<object>(agent, Deadline).Result);
        return registry;
    }

    private IActorRef Decisions(IActorRef registry, IActorRef? pools = null, IReadOnlySet<string>? served = null)
    {
        var decisions = Sys.ActorOf(DecisionEngine.Props(
            new DecisionEngineSettings(4, Settings, ServedModels: served, HealthInterval: TimeSpan.FromMilliseconds(100)), registry, pools));
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

    private async Task<SessionReplies.SessionDetail> Run(OrchestratorClient client, string id, string template)
    {
        (await client.StartAsync(id, template, new Dictionary<string, string>())).OrThrow();
        SessionReplies.SessionDetail? detail = null;
        await AwaitAssertAsync(async () =>
        {
            detail = (await client.DetailAsync(id)).OrThrow();
            Assert.True(detail.Status.Lifecycle is SessionLifecycle.Completed or SessionLifecycle.Failed, $"{detail.Status.Lifecycle}");
        }, Deadline);
        return detail!;
    }

    private async Task AwaitNothingHeld(IActorRef decisions) =>
        await AwaitAssertAsync(async () =>
        {
            var status = await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline);
            Assert.Empty(status.ByAgent);
            Assert.Equal(0, status.Granted);
        }, Deadline);

    [Fact]
    public async Task Over_repeated_councils_the_member_agent_that_succeeds_gets_most_turns_the_other_still_some_and_both_are_learned_by_name()
    {
        var registry = Registry(new RegisterAgent("good", "DEV", [], "m-good", 8), new RegisterAgent("flaky", "DEV", [], "m-flaky", 8));
        var decisions = Decisions(registry);
        var (model, log) = ScriptedModels.Start(Sys, g => g.Model == "m-flaky"
            ? new Script.Fail(FailureCodes.PoolFailed, "the flaky model failed")
            : Deliberates(g), "models");

        for (var i = 0; i < 10; i++)
            await Run(Session($"run{i}", Council(Devs), decisions, model, registry), $"run{i}", "council");

        var byModel = log.Requests.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Count());
        var (good, flaky) = (byModel.GetValueOrDefault("m-good"), byModel.GetValueOrDefault("m-flaky"));
        Output.WriteLine($"members' requests: good {good}, flaky {flaky}");
        Assert.Equal(good + flaky, log.Requests.Count); // every member ran as one of the role's agents
        Assert.True(good >= 0.75 * (good + flaky), $"the better agent ran {good} of {good + flaky} members' requests");
        Assert.True(flaky > 0, "the worse agent was never tried");
        await AwaitAssertAsync(async () =>
        {
            var goodStatus = await registry.Ask<AgentStatus>(new GetAgent("good"), Deadline);
            var flakyStatus = await registry.Ask<AgentStatus>(new GetAgent("flaky"), Deadline);
            Assert.Equal((good, flaky), (goodStatus.Overall.Samples, flakyStatus.Overall.Samples));
            Assert.Equal((good, 0L), (goodStatus.Overall.Successes, flakyStatus.Overall.Successes));
            Assert.True(goodStatus.Overall.QualitySamples > 0, "no peer score was learned as the good agent's quality");
        }, Deadline);
        await AwaitNothingHeld(decisions);
    }

    [Fact]
    public async Task A_member_agent_whose_model_is_down_is_not_chosen()
    {
        var registry = Registry(new RegisterAgent("ann", "DEV", [], "m-good", 4), new RegisterAgent("bob", "DEV", [], "m-other", 4));
        var pools = Sys.ActorOf(Props.Create(() => new ModelPools()));
        pools.Tell(new ModelPools.Start("m-good"));
        pools.Tell(new ModelPools.Start("m-other"));
        pools.Tell(new ModelPools.Start("lead"));
        var decisions = Decisions(registry, pools);
        pools.Tell(new ModelPools.Stop("m-good"));
        AwaitAssert(() => Assert.Contains("m-good", decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline).Result.ModelsDown), Deadline);
        var (model, log) = ScriptedModels.Start(Sys, Deliberates, "models");

        var detail = await Run(Session("down", Council(Devs), decisions, model), "down", "council");

        Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        Assert.Equal(12, log.Requests.Count);
        Assert.All(log.Requests, r => Assert.Equal("m-other", r.Model));
    }

    [Fact]
    public async Task A_member_agent_at_its_limit_is_skipped_and_every_grant_is_given_back_when_the_council_is_done()
    {
        var registry = Registry(new RegisterAgent("ann", "DEV", [], "m-good", 1), new RegisterAgent("bob", "DEV", [], "m-other", 1));
        var decisions = Decisions(registry);
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (model, log) = ScriptedModels.Start(Sys, g => Step(g) == "generate" ? new Script.Deferred(gate.Task.ContinueWith(_ => $"draft {Key(g)}", TaskScheduler.Default)) : Deliberates(g), "models");
        var client = Session("limit", Council(Devs), decisions, model, registry);

        (await client.StartAsync("limit", "council", new Dictionary<string, string>())).OrThrow();
        // Three members generate at once, but each agent runs one request at a time: the third waits for one of them.
        await AwaitAssertAsync(async () =>
        {
            var status = await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline);
            Assert.Equal((1, 1), (status.ByAgent.GetValueOrDefault("ann"), status.ByAgent.GetValueOrDefault("bob")));
            Assert.Equal(2, log.Requests.Count);
        }, Deadline);
        Assert.Equal(["m-good", "m-other"], log.Requests.Select(r => r.Model).Order());
        gate.SetResult("go");

        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("limit")).OrThrow().Lifecycle), Deadline);
        Assert.Equal(12, log.Requests.Count);
        Assert.All(log.Requests, r => Assert.Contains(r.Model, new[] { "m-good", "m-other" }));
        await AwaitNothingHeld(decisions);
    }

    [Fact]
    public async Task A_cancelled_council_gives_back_the_agents_its_members_held()
    {
        var registry = Registry(new RegisterAgent("ann", "DEV", [], "m-good", 4));
        var decisions = Decisions(registry);
        var (model, log) = ScriptedModels.Start(Sys, _ => new Script.Hang(), "models");
        var client = Session("stop", Council(Devs), decisions, model);

        (await client.StartAsync("stop", "council", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(3, (await decisions.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline)).ByAgent.GetValueOrDefault("ann"));
            Assert.Equal(3, log.Requests.Count); // the three members generate, as ann
        }, Deadline);
        (await client.CancelAsync("stop", "no longer needed")).OrThrow();

        await AwaitNothingHeld(decisions);
        AwaitAssert(() => Assert.Equal(3, log.Cancellations.Count), Deadline);
    }

    [Fact]
    public async Task A_council_whose_member_request_the_engine_lost_asks_again_and_completes()
    {
        var registry = Registry(new RegisterAgent("ann", "DEV", [], "m-good", 4));
        var lossy = Sys.ActorOf(LosingEngine<RequestMemberDispatch>.Props(Decisions(registry), lost: 1));
        var (model, log) = ScriptedModels.Start(Sys, Deliberates, "models");
        // Far beyond the spec's deadline: a member that is never granted fails the spec, not its own request.
        var council = Devs with { MemberTimeout = TimeSpan.FromMinutes(2) };

        var detail = await Run(Session("lost", Council(council), lossy, model, registry), "lost", "council");

        Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        Assert.Equal(1, await lossy.Ask<int>(Dropped.Instance, Deadline));
        Assert.Equal(12, log.Requests.Count);
        Assert.All(log.Requests, r => Assert.Equal("m-good", r.Model));
    }

    [Fact]
    public async Task A_member_that_finds_no_free_agent_within_its_timeout_fails_as_timed_out_and_the_council_ends()
    {
        var decisions = Decisions(Registry(new RegisterAgent("ann", "DEV", [], "m-good", 1)));
        var (model, _) = ScriptedModels.Start(Sys, _ => new Script.Hang(), "models");
        var council = Devs with { MemberTimeout = TimeSpan.FromSeconds(1) };

        var detail = await Run(Session("busy", Council(council), decisions, model), "busy", "council");

        Assert.Equal(SessionLifecycle.Failed, detail.Status.Lifecycle);
        Assert.Contains("no agent of role 'DEV' was granted within 1 s (agent-busy; timed out)", Assert.Single(detail.Tasks).LastError);
        await AwaitNothingHeld(decisions);
    }

    [Fact]
    public async Task A_member_whose_role_has_no_agent_and_no_served_model_fails_the_council_with_the_reason()
    {
        var decisions = Decisions(Registry(), served: new HashSet<string> { "m-good", "lead" });
        var (model, log) = ScriptedModels.Start(Sys, Deliberates, "models");

        var detail = await Run(Session("ghost", Council(Devs), decisions, model), "ghost", "council");

        Assert.Equal(SessionLifecycle.Failed, detail.Status.Lifecycle);
        var write = Assert.Single(detail.Tasks);
        Assert.Contains("member 'dev-1' (role 'DEV') cannot run: no registered agent has role 'DEV' and no node of the cluster serves its model 'DEV'", write.LastError);
        Assert.Empty(log.Requests);
        await AwaitNothingHeld(decisions);
    }

    [Fact]
    public async Task A_member_agent_on_a_model_no_node_serves_fails_the_council_with_the_reason()
    {
        var decisions = Decisions(Registry(new RegisterAgent("far", "DEV", [], "m-other", 4)), served: new HashSet<string> { "m-good", "lead" });
        var (model, log) = ScriptedModels.Start(Sys, Deliberates, "models");

        var detail = await Run(Session("far", Council(Devs), decisions, model), "far", "council");

        Assert.Equal(SessionLifecycle.Failed, detail.Status.Lifecycle);
        Assert.Contains("agent 'far' runs on model 'm-other', which no node of the cluster serves", Assert.Single(detail.Tasks).LastError);
        Assert.Empty(log.Requests);
    }

    [Fact]
    public async Task A_group_chat_participant_that_names_only_a_role_speaks_as_the_agent_granted_and_is_learned_by_its_name()
    {
        var registry = Registry(new RegisterAgent("ann", "DEV", [], "m-other", 4));
        var decisions = Decisions(registry);
        var (model, log) = ScriptedModels.Start(Sys, Deliberates, "models");
        var chat = new GroupChatSpec([new("alice", "DEV"), new("bob", "DEV")], MaxTurns: 4);
        var template = new WorkflowTemplate("chat",
            [new WorkflowNode("talk", "lead", "Talk about max", [], Kind: "talk", Chat: chat)], SessionSettingsSpec.Empty, []);

        var detail = await Run(Session("chat", template, decisions, model, registry), "chat", "chat");

        Assert.Equal(SessionLifecycle.Completed, detail.Status.Lifecycle);
        Assert.Equal(4, log.Requests.Count);
        Assert.All(log.Requests, r => Assert.Equal("m-other", r.Model));
        await AwaitAssertAsync(async () =>
            Assert.Equal(4, (await registry.Ask<AgentStatus>(new GetAgent("ann"), Deadline)).Overall.Samples), Deadline);
        await AwaitNothingHeld(decisions);
    }
}
