using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Conflicts;

/// <summary>The decision engine never dispatches two tasks of a session whose resources overlap, records each conflict
/// once with its resolution, and dispatches the held task when its resources are free.</summary>
public class ConflictDecisionSpec
{
    private static WorkflowNode Touching(string id, int priority, params string[] resources) =>
        Node(id, priority) with { Resources = resources };

    [Fact]
    public void Overlapping_ready_tasks_are_dispatched_one_at_a_time_by_priority()
    {
        var (state, _) = Started(Template(new SessionSettingsSpec(MaxConcurrentTasks: 10),
            Touching("low", 1, "file:src/a.cs"), Touching("high", 5, "file:src/"), Touching("free", 0, "file:docs/x.md"), Node("plain")));

        var (after, outcome) = Step(state, T0);

        Assert.Equal(["free", "high", "plain"], outcome.Dispatches.Select(d => d.TaskId.Value).Order());
        var conflict = Assert.Single(outcome.Events.OfType<ConflictDetected>());
        Assert.Equal(("low", "high"), (conflict.TaskId.Value, conflict.BlockedBy.Value));
        Assert.Equal("file:src/a.cs ~ file:src/", conflict.Overlap);
        Assert.Contains("priority 5", conflict.Resolution);
        Assert.Equal(1, outcome.Record.HeldBackCounts[HeldBackReasons.Conflict]);

        // The same conflict is not recorded again while it holds.
        var (_, again) = Step(after, T0.AddSeconds(1));
        Assert.Empty(again.Events);

        // Once the holder is done, the held task goes.
        after = after.Apply(Success(after, "high", T0.AddSeconds(2)));
        var (_, next) = Step(after, T0.AddSeconds(2));
        Assert.Equal(["low"], next.Dispatches.Select(d => d.TaskId.Value));
        Assert.Empty(next.Events.OfType<ConflictDetected>());
    }

    [Fact]
    public void A_running_task_holds_its_resources_against_a_later_ready_task_of_higher_priority()
    {
        var (state, _) = Started(Template(new SessionSettingsSpec(MaxConcurrentTasks: 10),
            Touching("first", 0, "key:orders"), Touching("urgent", 9, "key:orders", "file:x") with { DependsOn = ["gate"] }, Node("gate", 5)));

        var (running, _) = Step(state, T0);
        Assert.Equal(TaskRunState.Dispatched, running.Tasks[TaskId.Parse("first")].State);
        running = running.Apply(Success(running, "gate", T0));

        var (_, outcome) = Step(running, T0);
        Assert.Empty(outcome.Dispatches);
        var conflict = Assert.Single(outcome.Events.OfType<ConflictDetected>());
        Assert.Equal(("urgent", "first"), (conflict.TaskId.Value, conflict.BlockedBy.Value));
        Assert.Contains("'first' is running", conflict.Resolution);
    }

    [Fact]
    public void Same_priority_conflicts_go_to_the_task_that_became_ready_first()
    {
        var (state, _) = Started(Template(new SessionSettingsSpec(MaxConcurrentTasks: 10),
            Touching("b", 2, "key:k"), Touching("a", 2, "key:k")));

        var (_, outcome) = Step(state, T0);

        Assert.Equal(["b"], outcome.Dispatches.Select(d => d.TaskId.Value)); // b is first in plan order, so ready first
        Assert.Contains("waited longer", outcome.Events.OfType<ConflictDetected>().Single().Resolution);
    }

    [Fact]
    public void Resources_and_kind_travel_from_the_template_into_the_plan_and_snapshots()
    {
        var (state, events) = Started(Template(null, Touching("a", 0, "file:a") with { Kind = "review" }));
        var planned = events.OfType<PlanAccepted>().Single().Tasks.Single();
        Assert.Equal(["file:a"], planned.Resources!);
        Assert.Equal("review", planned.KindOrId);
        var back = (PlanAccepted)RoundTrip(events.OfType<PlanAccepted>().Single());
        Assert.Equal(["file:a"], back.Tasks.Single().Resources!);
        Assert.Equal("review", SessionState.FromSnapshot(state.ToSnapshot()).Tasks[TaskId.Parse("a")].Spec.Kind);
    }
}
