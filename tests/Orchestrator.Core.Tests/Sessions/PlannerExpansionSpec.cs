using Orchestrator.Core.Ids;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Sessions;

public class PlannerExpansionSpec
{
    private static readonly WorkflowTemplate Docs = Template(new SessionSettingsSpec(MaxConcurrentTasks: 10),
        Node("plan", phase: WorkflowPhases.Planning),
        new WorkflowNode("write", "writer", "Write {TASK_TITLE}: {TASK_DESCRIPTION} [{TASK_SCOPE}] using {output.plan}", ["plan"],
            Phase: WorkflowPhases.PerTask),
        Node("aggregate", deps: "write"));

    private static TaskListData Proposal(params (string Id, string[] Deps)[] tasks) =>
        new(tasks.Select(t => new ProposedTask(t.Id, $"title {t.Id}", $"about {t.Id}", ["src/" + t.Id], 1, t.Deps, null)).ToList());

    private static SessionState PlanDone()
    {
        var (state, _) = Started(Docs);
        (state, var step) = Step(state, T0);
        Assert.Equal(["plan"], step.Dispatches.Select(d => d.TaskId.Value));
        state = state.Apply(Success(state, "plan", T0));
        (state, step) = Step(state, T0);
        Assert.Empty(step.Dispatches); // the prototype waits for its expansion and is never dispatched
        return state;
    }

    [Fact]
    public void Task_list_expands_the_prototype_and_the_aggregation_waits_for_every_instance()
    {
        var state = PlanDone();

        var expansion = state.DecideExpansion(TaskId.Parse("plan"), Proposal(("api", []), ("guide", ["api"])), T0);
        Assert.True(expansion.IsValid, string.Join("; ", expansion.Problems));
        state = state.ApplyAll(expansion.Events);

        Assert.Equal(TaskRunState.Succeeded, state.Tasks[TaskId.Parse("write")].State);
        Assert.Equal(["plan", "write-api"], state.Tasks[TaskId.Parse("write-guide")].Spec.DependsOn);
        Assert.Equal("Write title api: about api [src/api] using {output.plan}", state.Tasks[TaskId.Parse("write-api")].Spec.Prompt);
        Assert.Equal(["write", "write-api", "write-guide"], state.Tasks[TaskId.Parse("aggregate")].Spec.DependsOn);

        (state, var step) = Step(state, T0);
        Assert.Equal(["write-api"], step.Dispatches.Select(d => d.TaskId.Value));
        state = state.Apply(Success(state, "write-api", T0));
        (state, step) = Step(state, T0);
        Assert.Equal(["write-guide"], step.Dispatches.Select(d => d.TaskId.Value));
        state = state.Apply(Success(state, "write-guide", T0));
        (state, step) = Step(state, T0);
        Assert.Equal(["aggregate"], step.Dispatches.Select(d => d.TaskId.Value));
    }

    [Fact]
    public void Proposed_cycles_unknown_dependencies_and_bad_ids_are_all_reported()
    {
        var state = PlanDone();

        var expansion = state.DecideExpansion(TaskId.Parse("plan"),
            Proposal(("a", ["b"]), ("b", ["a"]), ("c", ["ghost"]), ("bad id", []), ("a", [])), T0);

        Assert.False(expansion.IsValid);
        Assert.Empty(expansion.Events);
        Assert.Contains(expansion.Problems, p => p.Contains("cycle: a → b → a"));
        Assert.Contains(expansion.Problems, p => p.Contains("'ghost'"));
        Assert.Contains(expansion.Problems, p => p.Contains("'bad id'"));
        Assert.Contains(expansion.Problems, p => p.Contains("more than once"));
    }

    [Fact]
    public void Expansion_survives_snapshot_and_replay()
    {
        var state = PlanDone();
        var expanded = state.ApplyAll(state.DecideExpansion(TaskId.Parse("plan"), Proposal(("x", []), ("y", ["x"])), T0).Events);

        Assert.Equal(Canonical(expanded), Canonical(SessionState.FromSnapshot(expanded.ToSnapshot())));
        var restored = SessionState.FromSnapshot(expanded.ToSnapshot());
        restored = restored.ApplyAll(Step(restored, T0).Outcome.Events);
        var live = expanded.ApplyAll(Step(expanded, T0).Outcome.Events);
        Assert.Equal(Canonical(live), Canonical(restored));
    }
}
