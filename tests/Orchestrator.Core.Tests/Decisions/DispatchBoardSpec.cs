using Orchestrator.Core.Agents;
using Orchestrator.Core.Decisions;
using Orchestrator.Core.Tests.Agents;
using static Orchestrator.Core.Agents.AgentEvents;

namespace Orchestrator.Core.Tests.Decisions;

public sealed class DispatchBoardSpec
{
    private static readonly DateTimeOffset T0 = AgentFixtures.T0;

    private static DispatchCandidate Task(string id, string role = "coder", int attempt = 1, int priority = 0, string kind = "code",
        params string[] capabilities) => new(id, attempt, role, capabilities, kind, priority);

    private static AgentRegistryState Registry(params AgentProfile[] agents) =>
        agents.Aggregate(AgentRegistryState.Empty(0.2), (s, a) => s.Apply(new AgentRegistered(a, T0)));

    private static AgentProfile Agent(string name, string model = "m1", int max = 4, string role = "coder", params string[] capabilities) =>
        new(name, role, capabilities, model, max, new Dictionary<string, double>());

    private static DispatchBoard Board(int capacity, AgentRegistryState? registry = null, IReadOnlySet<string>? served = null,
        Func<string, int>? sequences = null)
    {
        var board = new DispatchBoard(capacity, AgentFixtures.Settings, new Dictionary<string, string> { ["writer"] = "m2" }, served, sequences);
        if (registry is not null) board.Adopt(registry);
        return board;
    }

    private static IReadOnlyList<DispatchGrant> GrantsTo(IEnumerable<DispatchAnswer> answers, string session) =>
        answers.Where(a => a.SessionId == session).SelectMany(a => a.Grants).ToList();

    [Fact]
    public void A_role_no_agent_has_runs_on_its_default_model()
    {
        var board = Board(4);
        var grant = Assert.Single(GrantsTo(board.Demand("s1", [Task("a", role: "writer")]), "s1"));
        Assert.Equal(("a", 1, (string?)null, "m2"), (grant.TaskId, grant.Attempt, grant.Agent, grant.Model));
        Assert.Equal(1, board.Granted);
    }

    [Fact]
    public void A_councils_members_take_no_node_slot_but_count_against_their_agents_limit()
    {
        var board = Board(1, Registry(Agent("ann", max: 1), Agent("bob", max: 1)));
        Assert.Single(GrantsTo(board.Demand("s1", [Task("council", role: "writer")]), "s1")); // the council's own task holds the one slot
        var members = GrantsTo(board.DemandForMembers("s1/council/1", [Task("1/generate/a"), Task("1/generate/b"), Task("1/generate/c")]), "s1/council/1");

        Assert.Equal(["ann", "bob"], members.Select(g => g.Agent!).Order());
        Assert.Equal(1, board.Granted);
        var third = board.Release("s1/council/1", members[0].TaskId, 1);
        Assert.Equal(members[0].Agent, Assert.Single(GrantsTo(third, "s1/council/1")).Agent); // the agent freed runs the request that waited
        board.ReleaseSession("s1/council/1");
        Assert.Equal((0, 0), (board.InFlightOf("ann"), board.InFlightOf("bob")));
        Assert.Equal(1, board.Granted);
    }

    [Fact]
    public void Asking_again_for_a_granted_attempt_answers_the_same_grant_and_takes_no_second_slot()
    {
        var board = Board(4, Registry(Agent("ann")));
        var first = Assert.Single(GrantsTo(board.Demand("s1", [Task("a")]), "s1"));
        var again = Assert.Single(GrantsTo(board.Demand("s1", [Task("a")]), "s1"));
        Assert.Equal(first, again);
        Assert.Equal(1, board.Granted);
        Assert.Equal(1, board.InFlightOf("ann"));
    }

    [Fact]
    public void Slots_never_exceed_capacity_and_a_release_grants_the_next_waiting_task()
    {
        var board = Board(2);
        Assert.Equal(2, GrantsTo(board.Demand("s1", [Task("a"), Task("b"), Task("c")]), "s1").Count);
        Assert.Equal(2, board.Granted);
        var answers = board.Release("s1", "a", 1);
        Assert.Equal(["c"], GrantsTo(answers, "s1").Select(g => g.TaskId));
        Assert.Equal(2, board.Granted);
    }

    [Fact]
    public void A_stopped_session_gives_back_every_slot_and_a_waiting_session_gets_them()
    {
        var board = Board(4);
        board.Demand("crashed", [Task("a"), Task("b"), Task("c"), Task("d")]);
        Assert.Empty(GrantsTo(board.Demand("other", [Task("x"), Task("y"), Task("z"), Task("w")]), "other"));
        var answers = board.ReleaseSession("crashed");
        Assert.Equal(4, GrantsTo(answers, "other").Count);
        Assert.Equal(0, board.HeldBy("crashed"));
        Assert.Equal(4, board.Granted);
    }

    [Fact]
    public void Two_sessions_of_equal_priority_sharing_four_slots_get_within_ten_percent_of_the_same_count()
    {
        var board = Board(4);
        var running = new Queue<DispatchGrant>(); // tasks of equal length: the oldest grant finishes first
        var granted = new Dictionary<string, int> { ["s1"] = 0, ["s2"] = 0 };
        var nextId = new Dictionary<string, int> { ["s1"] = 0, ["s2"] = 0 };
        void Take(IEnumerable<DispatchAnswer> answers)
        {
            foreach (var g in answers.SelectMany(a => a.Grants).Where(g => running.All(r => r != g)))
            {
                granted[g.SessionId]++;
                running.Enqueue(g);
            }
        }
        // Each session always wants four tasks beyond those it runs, and asks again after each outcome, as a session does.
        void Ask(string s)
        {
            var mine = running.Count(g => g.SessionId == s);
            var wanted = Enumerable.Range(nextId[s], 4).Select(i => Task($"{s}-{i}")).ToList();
            Take(board.Demand(s, wanted));
            nextId[s] += running.Count(g => g.SessionId == s) - mine;
        }
        Ask("s1");
        Ask("s2");
        for (var i = 0; i < 400; i++)
        {
            var done = running.Dequeue();
            Take(board.Release(done.SessionId, done.TaskId, done.Attempt));
            Ask(done.SessionId);
        }
        var (a, b) = (granted["s1"], granted["s2"]);
        Assert.True(Math.Abs(a - b) <= 0.1 * Math.Max(a, b), $"s1 got {a}, s2 got {b}");
        Assert.True(a + b >= 400, $"only {a + b} grants");
    }

    [Fact]
    public void A_higher_priority_task_of_another_session_goes_first()
    {
        var board = Board(1);
        board.Demand("s1", [Task("a")]);
        board.Demand("low", [Task("l", priority: 0)]);
        board.Demand("high", [Task("h", priority: 5)]);
        var answers = board.Release("s1", "a", 1);
        Assert.Equal(["h"], answers.SelectMany(a => a.Grants).Select(g => g.TaskId));
    }

    [Fact]
    public void An_agent_at_its_limit_is_skipped_and_another_of_the_role_runs_the_task()
    {
        var board = Board(8, Registry(Agent("ann", max: 1), Agent("bob", max: 1)));
        var grants = GrantsTo(board.Demand("s1", [Task("a"), Task("b"), Task("c")]), "s1");
        Assert.Equal(["ann", "bob"], grants.Select(g => g.Agent).Order());
        Assert.Equal(2, board.Granted);
        var held = board.Demand("s1", [Task("a"), Task("b"), Task("c")]).Single().Holds;
        Assert.Equal([new DispatchHold("c", HeldBackReasons.AgentBusy)], held);
    }

    [Fact]
    public void An_agent_whose_model_is_down_is_not_chosen()
    {
        var board = Board(8, Registry(Agent("ann", model: "m1"), Agent("bob", model: "m2")));
        board.SetModelHealth("m1", false);
        var grants = GrantsTo(board.Demand("s1", [Task("a"), Task("b"), Task("c")]), "s1");
        Assert.All(grants, g => Assert.Equal("bob", g.Agent));
        board.SetModelHealth("m2", false);
        var held = board.Demand("s1", [Task("a"), Task("b"), Task("c"), Task("d")]).Single().Holds;
        Assert.Equal([new DispatchHold("d", HeldBackReasons.ModelDown)], held);
        var back = board.SetModelHealth("m1", true);
        Assert.Equal(["ann"], GrantsTo(back, "s1").Select(g => g.Agent));
    }

    [Fact]
    public void A_model_without_a_free_sequence_is_not_flooded_while_another_serving_the_role_has_room()
    {
        var board = Board(8, Registry(Agent("ann", model: "m1", max: 8), Agent("bob", model: "m2", max: 8)), sequences: _ => 2);
        var grants = GrantsTo(board.Demand("s1", [.. Enumerable.Range(0, 4).Select(i => Task($"t{i}"))]), "s1");
        Assert.Equal(2, board.InFlightOn("m1"));
        Assert.Equal(2, board.InFlightOn("m2"));
        Assert.Equal(4, grants.Count);
    }

    [Fact]
    public void A_task_nothing_here_can_run_is_refused_with_the_reason()
    {
        var board = Board(8, Registry(Agent("ann", capabilities: "csharp")), served: new HashSet<string> { "m1" });
        var answer = board.Demand("s1", [Task("unknown-role", role: "poet"), Task("rust", capabilities: "rust"), Task("ok", capabilities: "csharp")]).Single();
        Assert.Equal(["ok"], answer.Grants.Select(g => g.TaskId));
        Assert.Collection(answer.Refusals.OrderBy(r => r.TaskId, StringComparer.Ordinal),
            r => Assert.Contains("capabilities rust", r.Reason),
            r => Assert.Contains("no node of the cluster serves its model 'poet'", r.Reason));
        Assert.Equal(1, board.Granted);
    }

    [Fact]
    public void A_role_and_an_agent_whose_model_another_node_serves_are_granted_and_refused_once_no_node_serves_it()
    {
        var board = Board(8, Registry(Agent("ann", model: "m3")), served: new HashSet<string> { "m1" });
        board.SetServedElsewhere(new HashSet<string> { "m2", "m3" });
        var answer = board.Demand("s1", [Task("w", role: "writer"), Task("c")]).Single();
        Assert.Equal([("c", "m3"), ("w", "m2")], answer.Grants.Select(g => (g.TaskId, g.Model)).OrderBy(g => g.TaskId, StringComparer.Ordinal));

        board.SetServedElsewhere(new HashSet<string>());
        var refused = board.Demand("s1", [Task("w2", role: "writer"), Task("c2")]).Single();
        Assert.Empty(refused.Grants);
        Assert.Collection(refused.Refusals.OrderBy(r => r.TaskId, StringComparer.Ordinal),
            r => Assert.Contains("model 'm3', which no node of the cluster serves", r.Reason),
            r => Assert.Contains("no node of the cluster serves its model 'm2' (models-by-role gives it; served here: m1; elsewhere: none)", r.Reason));
    }

    [Fact]
    public void The_better_agent_gets_most_tasks_and_the_worse_one_is_still_tried()
    {
        var registry = Registry(Agent("good", max: 1), Agent("flaky", max: 1));
        var board = Board(1, registry);
        var picks = new Dictionary<string, int> { ["good"] = 0, ["flaky"] = 0 };
        for (var i = 0; i < 50; i++)
        {
            var grant = Assert.Single(GrantsTo(board.Demand("s1", [Task($"t{i}")]), "s1"));
            picks[grant.Agent!]++;
            var success = grant.Agent == "good" || i % 2 == 0; // the flaky agent fails half its tasks
            var outcome = new TaskOutcomeRecorded(grant.Agent!, "code", $"s1/t{i}", success, TimeSpan.FromSeconds(1), 10, T0);
            registry = registry.Apply(outcome);
            board.Apply(outcome, registry);
            board.Release("s1", grant.TaskId, grant.Attempt);
        }
        Assert.True(picks["good"] >= 40, $"good {picks["good"]}, flaky {picks["flaky"]}");
        Assert.True(picks["flaky"] > 0, "the flaky agent was never tried");
    }
}
