using Orchestrator.Core.Agents;
using Orchestrator.Messages;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Tests.Agents.AgentFixtures;

namespace Orchestrator.Core.Tests.Agents;

public class AgentRegistryStateSpec
{
    [Fact]
    public void An_agent_is_registered_with_normalized_capabilities()
    {
        var r = new Registry();
        var accepted = Assert.IsType<AgentAccepted>(r.Register("ada", capabilities: ["CSharp ", "sql", "csharp"]));
        Assert.Equal(["csharp", "sql"], accepted.Agent.Capabilities);
        Assert.Equal(accepted.Agent, r.State.Agents["ada"]);
    }

    [Theory]
    [InlineData("ada", "poet", "m1", 1, "unknown role 'poet' (known: coder, reviewer)")]
    [InlineData("ada", "coder", "gpt-9", 1, "model 'gpt-9' of agent 'ada' is not configured (configured: m1, m2, m3)")]
    [InlineData("ada", "coder", "m1", 0, "max concurrent tasks")]
    [InlineData("bad name!", "coder", "m1", 1, "agent name")]
    [InlineData("Analytics", "coder", "m1", 1, "agent name 'Analytics' is reserved")]
    public void Bad_input_is_refused_with_the_reason_and_changes_nothing(string name, string role, string model, int max, string reason)
    {
        var r = new Registry();
        var refused = Assert.IsType<AgentRefused>(r.Register(name, role, model, max));
        Assert.Contains(reason, refused.Reason);
        Assert.Empty(r.State.Agents);
    }

    [Fact]
    public void A_specialization_outside_zero_to_one_and_a_taken_name_are_refused()
    {
        var r = new Registry();
        Assert.IsType<AgentRefused>(r.Register("ada", specialization: new Dictionary<string, double> { ["review"] = 1.5 }));
        Assert.IsType<AgentAccepted>(r.Register("ada"));
        Assert.Contains("already registered", Assert.IsType<AgentRefused>(r.Register("ada")).Reason);
    }

    [Fact]
    public void Profiles_past_the_bounds_on_capabilities_and_specialization_are_refused_on_registration_and_update()
    {
        var r = new Registry();
        var many = Enumerable.Range(0, AgentRegistryState.MaxListed + 1).Select(i => $"c{i}").ToArray();
        var longText = new string('x', AgentRegistryState.MaxTextLength + 1);

        Assert.Contains("65 capabilities; at most 64", Assert.IsType<AgentRefused>(r.Register("ada", capabilities: many)).Reason);
        Assert.Contains("129 characters; at most 128", Assert.IsType<AgentRefused>(r.Register("ada", capabilities: [longText])).Reason);
        Assert.Contains("65 kinds; at most 64", Assert.IsType<AgentRefused>(
            r.Register("ada", specialization: many.ToDictionary(c => c, _ => 0.5))).Reason);
        Assert.Contains("129 characters; at most 128", Assert.IsType<AgentRefused>(
            r.Register("ada", specialization: new Dictionary<string, double> { [longText] = 0.5 })).Reason);
        Assert.Empty(r.State.Agents);

        Assert.IsType<AgentAccepted>(r.Register("ada", capabilities: many[..AgentRegistryState.MaxListed]));
        Assert.Contains("65 capabilities",
            Assert.IsType<AgentRefused>(r.Run(r.State.Decide(new UpdateAgent("ada", Capabilities: many), Settings, T0))).Reason);
        Assert.Equal(AgentRegistryState.MaxListed, r.State.Agents["ada"].Capabilities.Count);
    }

    [Fact]
    public void A_registration_past_the_most_agents_is_refused_and_one_fits_again_after_a_removal()
    {
        var settings = Settings with { MaxAgents = 2 };
        var r = new Registry();
        IClusterMessage? Register(string name) => r.Run(r.State.Decide(new RegisterAgent(name, "coder", [], "m1", 1, null), settings, T0));

        Assert.IsType<AgentAccepted>(Register("ada"));
        Assert.IsType<AgentAccepted>(Register("bob"));
        Assert.Contains("holds 2 agents, its most (orchestrator.agents.max-agents)", Assert.IsType<AgentRefused>(Register("cy")).Reason);
        Assert.Equal(["ada", "bob"], r.State.Agents.Keys);

        r.Run(r.State.Decide(new RemoveAgent("bob"), T0));
        Assert.IsType<AgentAccepted>(Register("cy"));
    }

    [Fact]
    public void A_null_capability_is_refused_not_thrown_on_registration_and_update()
    {
        var r = new Registry();
        string[] withNull = ["csharp", null!];

        Assert.Contains("must not hold null", Assert.IsType<AgentRefused>(r.Register("ada", capabilities: withNull)).Reason);
        Assert.Empty(r.State.Agents);
        r.Register("ada", capabilities: ["csharp"]);
        Assert.Contains("must not hold null",
            Assert.IsType<AgentRefused>(r.Run(r.State.Decide(new UpdateAgent("ada", Capabilities: withNull), Settings, T0))).Reason);
        Assert.Equal(["csharp"], r.State.Agents["ada"].Capabilities);
    }

    [Fact]
    public void Update_changes_only_the_given_fields_and_is_checked_like_a_registration()
    {
        var r = new Registry();
        r.Register("ada", max: 2, capabilities: ["csharp"]);
        var updated = Assert.IsType<AgentAccepted>(r.Run(r.State.Decide(new UpdateAgent("ada", Model: "m2"), Settings, T0)));
        Assert.Equal(("m2", 2, "csharp"), (updated.Agent.Model, updated.Agent.MaxConcurrentTasks, updated.Agent.Capabilities.Single()));
        Assert.IsType<AgentRefused>(r.Run(r.State.Decide(new UpdateAgent("ada", Model: "nope"), Settings, T0)));
        Assert.IsType<AgentNotFound>(r.Run(r.State.Decide(new UpdateAgent("bob"), Settings, T0)));
        Assert.Equal("m2", r.State.Agents["ada"].Model);
    }

    [Fact]
    public void Outcomes_update_learned_performance_per_kind_and_overall_and_free_the_slot()
    {
        var r = new Registry();
        r.Register("ada", max: 1);
        Assert.IsType<AgentSelected>(r.Select("t1", "review"));
        Assert.Equal(1, r.State.InFlightOf("ada"));
        Assert.IsType<NoAgentAvailable>(r.Select("t2", "review"));

        r.Outcome("ada", "review", success: true, key: "t1");
        Assert.Equal(0, r.State.InFlightOf("ada"));
        Assert.Equal(1, r.State.StatsOf("ada", "review").Samples);
        Assert.Equal(1, r.State.StatsOf("ada", AgentRegistryState.AllKinds).Samples);
        Assert.IsType<AgentSelected>(r.Select("t2", "review"));
    }

    [Fact]
    public void Manual_assignment_takes_a_slot_of_the_named_agent_and_is_refused_when_it_cannot()
    {
        var r = new Registry();
        r.Register("ada", max: 1);
        var chosen = Assert.IsType<AgentSelected>(r.Run(r.State.Decide(new AssignTask("t1", "ada", "review"), r.Selector, T0)));
        Assert.True(chosen.Manual);
        Assert.True(r.State.Assignments["t1"].Manual);
        // The same request again changes nothing; another task finds the agent full.
        Assert.IsType<AgentSelected>(r.Run(r.State.Decide(new AssignTask("t1", "ada", "review"), r.Selector, T0)));
        Assert.Contains("at capacity", Assert.IsType<AgentRefused>(r.Run(r.State.Decide(new AssignTask("t2", "ada", "review"), r.Selector, T0))).Reason);
        Assert.IsType<AgentNotFound>(r.Run(r.State.Decide(new AssignTask("t3", "bob", "review"), r.Selector, T0)));

        r.Run(r.State.Decide(new ReleaseTask("t1"), T0));
        r.Selector.SetModelHealth("m1", alive: false);
        Assert.Contains("down", Assert.IsType<AgentRefused>(r.Run(r.State.Decide(new AssignTask("t2", "ada", "review"), r.Selector, T0))).Reason);
    }

    [Fact]
    public void Removing_an_agent_frees_its_slots_and_keeps_its_history_for_analytics()
    {
        var r = new Registry();
        r.Register("ada");
        r.Select("t1", "review");
        r.Outcome("ada", "review", true);
        Assert.IsType<AgentDeleted>(r.Run(r.State.Decide(new RemoveAgent("ada"), T0)));
        Assert.Empty(r.State.Agents);
        Assert.Empty(r.State.Assignments);
        Assert.Equal(1, r.State.StatsOf("ada", "review").Samples);
        Assert.IsType<AgentNotFound>(r.Run(r.State.Decide(new RemoveAgent("ada"), T0)));
        Assert.IsType<NoAgentAvailable>(r.Select("t2", "review"));
    }

    [Fact]
    public void An_attempt_reported_again_is_counted_once_even_by_a_registry_recovered_from_a_snapshot()
    {
        var r = new Registry();
        r.Register("ada");
        r.Outcome("ada", "review", true, key: "s1/t1/1");
        r.Outcome("ada", "review", true, key: "s1/t1/1"); // the session recovered and reported what it replayed
        Assert.Equal(1, r.State.StatsOf("ada", "review").Samples);

        var recovered = AgentRegistryState.FromSnapshot(r.State.ToSnapshot(), Settings.Alpha);
        Assert.Empty(recovered.Decide(new RecordTaskOutcome("ada", "review", "s1/t1/1", true, TimeSpan.FromSeconds(1), 100, T0)).Events);
        Assert.Single(recovered.Decide(new RecordTaskOutcome("ada", "review", "s1/t1/2", true, TimeSpan.FromSeconds(1), 100, T0)).Events);
    }

    [Fact]
    public void A_verdict_told_again_is_counted_once_even_after_a_snapshot_and_one_without_a_key_as_often_as_told()
    {
        var r = new Registry();
        r.Register("ada");
        var verdict = new RecordQuality("ada", "review", 0.8, T0, "s1/t1/1/quality-1");
        r.Run(r.State.Decide(verdict));
        r.Run(r.State.Decide(verdict)); // the session recovered and told what it replayed
        Assert.Equal(1, r.State.StatsOf("ada", "review").QualitySamples);

        var recovered = AgentRegistryState.FromSnapshot(r.State.ToSnapshot(), Settings.Alpha);
        Assert.Empty(recovered.Decide(verdict).Events);
        Assert.Single(recovered.Decide(verdict with { VerdictKey = "s1/t1/2/quality-2" }).Events);
        var late = verdict with { VerdictKey = "late", At = T0 - AgentRegistryState.OutcomeWindow - TimeSpan.FromMinutes(1) };
        Assert.Empty(recovered.Decide(late).Events); // may have been counted and forgotten

        r.Run(r.State.Decide(verdict with { VerdictKey = null })); // a council's critique score: told once, never again
        r.Run(r.State.Decide(verdict with { VerdictKey = null }));
        Assert.Equal(3, r.State.StatsOf("ada", "review").QualitySamples);
    }

    [Fact]
    public void An_outcome_older_than_the_window_before_the_latest_is_refused_and_old_keys_are_forgotten()
    {
        var r = new Registry();
        r.Register("ada");
        r.Outcome("ada", "review", true, key: "old", at: T0);
        var later = T0 + AgentRegistryState.OutcomeWindow + TimeSpan.FromMinutes(1);
        for (var i = 0; i < 300; i++) r.Outcome("ada", "review", true, at: later); // pruning runs every 256 keys
        Assert.False(r.State.RecentOutcomes.ContainsKey("old"));

        r.Outcome("ada", "review", false, key: "late", at: T0); // may have been counted and forgotten: not counted again
        Assert.Equal(301, r.State.StatsOf("ada", "review").Samples);
    }

    [Fact]
    public void A_snapshot_gives_back_the_same_state()
    {
        var r = new Registry();
        r.Register("ada", capabilities: ["csharp"]);
        r.Register("bob", role: "reviewer", model: "m2");
        r.Select("t1", "review");
        r.Outcome("bob", "review", false);
        r.Run(r.State.Decide(new RecordQuality("ada", "review", 0.8, T0)));

        var back = AgentRegistryState.FromSnapshot(r.State.ToSnapshot(), Settings.Alpha);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(r.State.ToSnapshot()), System.Text.Json.JsonSerializer.Serialize(back.ToSnapshot()));
        Assert.Equal(r.State.InFlight.OrderBy(kv => kv.Key), back.InFlight.OrderBy(kv => kv.Key));
    }
}
