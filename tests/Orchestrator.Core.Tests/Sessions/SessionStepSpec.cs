using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Steps;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>A step folds the many outcomes that arrived during a write in one run (and the coordinator folds a whole
/// write at once): the result must be exactly what applying its events one by one gives, indexes included.</summary>
public class SessionStepSpec
{
    private static readonly WorkflowTemplate FanOut = Template(new SessionSettingsSpec(MaxConcurrentTasks: 100, RetryBaseDelay: TimeSpan.FromSeconds(1)),
        [
            Node("root"),
            .. Enumerable.Range(0, 30).Select(i => Node($"p{i:D2}", priority: i % 3, retries: 1, deps: "root")),
            Node("join", deps: Enumerable.Range(0, 30).Select(i => $"p{i:D2}").ToArray()),
        ]);

    private static SessionState AllParallelInFlight()
    {
        var (state, _) = Started(FanOut);
        (state, _) = Step(state, T0);
        state = state.Apply(Success(state, "root", T0));
        (state, var step) = Step(state, T0);
        Assert.Equal(30, step.Dispatches.Count);
        return state;
    }

    /// <summary>Everything a fold produces: the canonical snapshot and every index in its order.</summary>
    private static string Everything(SessionState s) => string.Join("\n",
        Canonical(s),
        string.Join(",", s.Ready.Select(r => $"{r.Priority}/{r.Sequence}/{r.TaskId}")),
        string.Join(",", s.RetryQueue.Select(r => $"{r.At:O}/{r.TaskId}")),
        string.Join(",", s.InFlight.Order()),
        string.Join(",", s.PendingSkips.Keys),
        string.Join(";", s.Dependents.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{string.Join(",", kv.Value)}")),
        $"{s.TokensUsed} {s.IterationTokens} {s.IterationTasksRun} {s.IterationTasksFailed} {s.Succeeded} {s.Failed} {s.Warnings} {s.ReadyCounter}");

    private static SessionState OneByOne(SessionState s, IEnumerable<IPersistedEvent> events) => events.Aggregate(s, (x, e) => x.Apply(e));

    [Fact]
    public void Many_outcomes_in_one_step_fold_to_the_state_that_applying_them_one_by_one_gives()
    {
        var state = AllParallelInFlight();
        var now = T0.AddSeconds(1);
        var outcomes = new List<IPersistedEvent>();
        foreach (var (id, i) in state.InFlight.Order().Select((id, i) => (id, i)))
        {
            if (i % 7 == 3) outcomes.Add(new ProtocolWarning(state.Id, id, 1, "repaired", "x", now));
            outcomes.Add(i % 5 == 4 ? Failure(state, id, now) : Success(state, id, now, tokens: i));
        }
        outcomes.Add(Success(state, "p00", now)); // a duplicate: the second one no longer fits and changes nothing

        var step = GrantingNode.Plan(state, outcomes, 1000, now);

        Assert.Equal(outcomes, step.Events.Take(outcomes.Count));
        Assert.Equal(Everything(OneByOne(state, step.Events)), Everything(state.ApplyAll(step.Events)));
        Assert.Equal(Everything(OneByOne(state, step.Events)), Everything(step.State)); // the step's own fold is the same
        Assert.Equal(Everything(OneByOne(state, outcomes)), Everything(state.ApplyAll(outcomes)));
        Assert.Empty(step.Dispatches); // the failed ones wait out their back-off, and the join waits for them
        Assert.Equal(now.AddSeconds(1), step.WakeAt);
        Assert.Equal(6, state.ApplyAll(step.Events).RetryQueue.Count);
    }

    [Fact]
    public void The_last_outcome_releases_the_join_in_the_same_step()
    {
        var state = AllParallelInFlight();
        var outcomes = state.InFlight.Order().Select(id => (IPersistedEvent)Success(state, id, T0)).ToList();

        var step = GrantingNode.Plan(state, outcomes, 1000, T0);

        Assert.Equal(["join"], step.Dispatches.Select(d => d.TaskId.Value));
        var after = state.ApplyAll(step.Events);
        Assert.Equal(Everything(OneByOne(state, step.Events)), Everything(after));
        Assert.Equal(["join"], after.InFlight.Select(id => id.Value));
        Assert.Equal(31, after.Succeeded);
        Assert.Equal(31, after.IterationTasksRun);
        Assert.Equal(31 * 10, after.TokensUsed);
        Assert.Equal(31 * 10, after.IterationTokens);
    }

    [Fact]
    public void A_planners_success_among_other_outcomes_still_expands_its_prototype()
    {
        var template = Template(new SessionSettingsSpec(MaxConcurrentTasks: 10),
            Node("plan", phase: WorkflowPhases.Planning),
            new WorkflowNode("write", "writer", "Write {TASK_TITLE}", ["plan"], Phase: WorkflowPhases.PerTask),
            Node("aggregate", deps: "write"),
            Node("side1"), Node("side2"));
        var (state, _) = Started(template);
        (state, _) = Step(state, T0);
        Assert.Equal(["plan", "side1", "side2"], state.InFlight.Select(id => id.Value).Order(StringComparer.Ordinal));
        var taskList = $"{ResponseParser.StartMarker}\n" +
                       """{"phase": "task_list", "data": {"tasks": [{"id": "a", "title": "A"}, {"id": "b", "title": "B", "dependencies": ["a"]}]}}""" +
                       $"\n{ResponseParser.EndMarker}";
        var planned = new TaskSucceeded(state.Id, TaskId.Parse("plan"), 1, taskList, 10, TimeSpan.FromSeconds(1), T0);
        IPersistedEvent[] outcomes = [Success(state, "side1", T0), planned, Success(state, "side2", T0)];

        var step = GrantingNode.Plan(state, outcomes, 1000, T0);

        Assert.IsType<TaskSucceeded>(step.Events[0]);
        Assert.Same(planned, step.Events[1]);
        var expansion = Assert.IsType<PlanAccepted>(step.Events[2]);
        Assert.Equal("write", expansion.ExpandedFrom?.Value);
        Assert.Equal(["write-a", "write-b"], expansion.Tasks.Select(t => t.Id.Value));
        Assert.Same(outcomes[2], step.Events[3]);
        Assert.Equal(["write-a"], step.Dispatches.Select(d => d.TaskId.Value));
        Assert.Equal(Everything(OneByOne(state, step.Events)), Everything(state.ApplyAll(step.Events)));
    }
}
