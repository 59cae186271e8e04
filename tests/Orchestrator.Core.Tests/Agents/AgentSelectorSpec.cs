using Orchestrator.Core.Agents;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Tests.Agents.AgentFixtures;

namespace Orchestrator.Core.Tests.Agents;

public class AgentSelectorSpec
{
    [Fact]
    public void Only_agents_with_every_required_capability_are_chosen()
    {
        var r = new Registry();
        r.Register("ada", capabilities: ["csharp"]);
        r.Register("bob", capabilities: ["csharp", "sql"]);

        Assert.Equal("bob", Assert.IsType<AgentSelected>(r.Select("t1", "k", "sql", "CSharp")).Agent);
        var none = Assert.IsType<NoAgentAvailable>(r.Select("t2", "k", "rust"));
        Assert.Contains("no registered agent has capabilities rust", none.Reason);
    }

    [Fact]
    public void Learned_quality_at_the_kind_beats_the_declared_specialization_once_evidence_arrives()
    {
        var r = new Registry();
        r.Register("ada", max: 10, specialization: new Dictionary<string, double> { ["review"] = 0.9 });
        r.Register("bob", max: 10, specialization: new Dictionary<string, double> { ["review"] = 0.6 });
        Assert.Equal("ada", Assert.IsType<AgentSelected>(r.Select("t0", "review")).Agent);

        for (var i = 0; i < 6; i++)
        {
            r.Outcome("ada", "review", success: false);
            r.Outcome("bob", "review", success: true);
        }
        Assert.Equal("bob", Assert.IsType<AgentSelected>(r.Select("t1", "review")).Agent);
        // Another kind is still decided by the prior.
        Assert.Equal("ada", Assert.IsType<AgentSelected>(r.Select("t2", "other")).Agent);
    }

    [Fact]
    public void Between_equals_the_agent_with_more_free_capacity_wins_and_a_full_one_is_skipped()
    {
        var r = new Registry();
        r.Register("ada", max: 2);
        r.Register("bob", max: 2);
        Assert.Equal("ada", Assert.IsType<AgentSelected>(r.Select("t1", "k")).Agent); // a tie goes by name
        Assert.Equal("bob", Assert.IsType<AgentSelected>(r.Select("t2", "k")).Agent); // ada is half full now
        Assert.Equal("ada", Assert.IsType<AgentSelected>(r.Select("t3", "k")).Agent);
        Assert.Equal("bob", Assert.IsType<AgentSelected>(r.Select("t4", "k")).Agent);
        Assert.Contains("busy", Assert.IsType<NoAgentAvailable>(r.Select("t5", "k")).Reason);
    }

    [Fact]
    public void An_agent_whose_model_is_down_is_never_chosen_until_it_is_back()
    {
        var r = new Registry();
        r.Register("ada", model: "m1", specialization: new Dictionary<string, double> { ["k"] = 1 });
        r.Register("bob", model: "m2");
        r.Selector.SetModelHealth("m1", alive: false);
        Assert.Equal("bob", Assert.IsType<AgentSelected>(r.Select("t1", "k")).Agent);
        r.Selector.SetModelHealth("m2", alive: false);
        Assert.Contains("model down", Assert.IsType<NoAgentAvailable>(r.Select("t2", "k")).Reason);
        r.Selector.SetModelHealth("m1", alive: true);
        Assert.Equal("ada", Assert.IsType<AgentSelected>(r.Select("t2", "k")).Agent);
    }

    [Fact]
    public void The_index_and_the_linear_scan_always_agree()
    {
        var random = new Random(7);
        var r = new Registry();
        string[] capabilities = ["a", "b", "c", "d", "e"];
        string[] kinds = ["k1", "k2", "k3"];
        var removed = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var caps = capabilities.Where(_ => random.NextDouble() < 0.4).ToArray();
            var spec = kinds.Where(_ => random.NextDouble() < 0.5).ToDictionary(k => k, _ => Math.Round(random.NextDouble(), 2));
            r.Register($"agent{i:D3}", random.Next(2) == 0 ? "coder" : "reviewer", $"m{random.Next(1, 4)}", random.Next(1, 4), spec, caps);
        }
        for (var step = 0; step < 2000; step++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            switch (random.Next(10))
            {
                case 0:
                    r.Selector.SetModelHealth($"m{random.Next(1, 4)}", random.Next(3) > 0);
                    break;
                case 1:
                    var victim = $"agent{random.Next(300):D3}";
                    if (removed.Add(victim)) r.Run(r.State.Decide(new AgentCommands.RemoveAgent(victim), T0));
                    break;
                case 2 or 3 or 4:
                    if (r.State.Assignments.Count > 0)
                    {
                        var a = r.State.Assignments.Values.ElementAt(random.Next(r.State.Assignments.Count));
                        r.Outcome(a.Agent, a.Kind, random.Next(2) == 0, a.TaskKey, random.NextDouble() * 5);
                    }
                    break;
                default:
                    var required = capabilities.Where(_ => random.NextDouble() < 0.3).ToArray();
                    string? role = random.Next(3) == 0 ? "reviewer" : null;
                    var expected = AgentSelector.LinearScan(r.State, Settings, r.Selector.IsHealthy, required, role, kind);
                    var actual = r.Selector.Select(required, role, kind, out var reason);
                    Assert.Equal(expected?.Agent.Name, actual?.Agent.Name);
                    Assert.Equal(expected?.Score, actual?.Score);
                    if (actual is null) Assert.NotNull(reason);
                    else r.Run(r.State.Decide(new AgentCommands.AssignTask($"task{step}", actual.Value.Agent.Name, kind), r.Selector, T0));
                    break;
            }
        }
    }

    [Fact]
    public void A_selector_rebuilt_from_a_snapshot_chooses_as_the_live_one()
    {
        var r = new Registry();
        for (var i = 0; i < 20; i++) r.Register($"a{i:D2}", max: 3, specialization: new Dictionary<string, double> { ["k"] = i / 20.0 });
        for (var i = 0; i < 10; i++) r.Select($"t{i}", "k");
        r.Outcome("a19", "k", false);
        var rebuilt = AgentSelector.Build(AgentRegistryState.FromSnapshot(r.State.ToSnapshot(), Settings.Alpha), Settings);
        Assert.Equal(r.Selector.Select([], null, "k", out _)?.Agent.Name, rebuilt.Select([], null, "k", out _)?.Agent.Name);
    }
}
