using Orchestrator.Core.Ids;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Steps;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>A reply is parsed once, by its worker: what it meant travels in the success event (a planner's task list,
/// a scorer's verdict) and the session acts on that, never on the text again. Events journaled before that carry only
/// the text, which is then read as it was.</summary>
public class ParsedOnceSpec
{
    private const string Unreadable = "no JSON here at all";

    private static readonly WorkflowTemplate Docs = Template(new SessionSettingsSpec(MaxConcurrentTasks: 10),
        Node("plan", phase: WorkflowPhases.Planning),
        new WorkflowNode("write", "writer", "Write {TASK_TITLE}", ["plan"], Phase: WorkflowPhases.PerTask),
        Node("aggregate", deps: "write"));

    private static readonly WorkflowTemplate Scored = Template(new SessionSettingsSpec(QualityThreshold: 0.8, MaxIterations: 5, ScorerNode: "score"),
        Node("draft"), Node("score", phase: WorkflowPhases.Scoring, deps: ["draft"]));

    private static TaskListData Proposal => new([new ProposedTask("api", "the API", null, [], 1, [], null)]);

    private static SessionState InFlight(WorkflowTemplate template, string taskId)
    {
        var (state, _) = Started(template);
        while (!state.InFlight.Contains(TaskId.Parse(taskId)))
        {
            var (next, outcome) = Step(state, T0);
            state = next;
            foreach (var d in outcome.Dispatches.Where(d => d.TaskId.Value != taskId)) state = state.Apply(Success(state, d.TaskId.Value, T0));
        }
        return state;
    }

    [Fact]
    public void A_planner_success_expands_the_task_list_its_worker_read_without_reading_its_text()
    {
        var state = InFlight(Docs, "plan");
        var ok = Success(state, "plan", T0) with { Output = Unreadable, TaskList = Proposal };

        var step = GrantingNode.Plan(state, [ok], 10, T0);

        Assert.Contains(step.Events, e => e is PlanAccepted { ExpandedFrom: { } from } && from.Value == "write");
        Assert.Equal(["write-api"], step.Dispatches.Select(d => d.TaskId.Value));
        Assert.Equal(TaskRunState.Succeeded, step.State.Tasks[TaskId.Parse("plan")].State);
    }

    [Fact]
    public void A_planner_success_journaled_with_its_text_only_is_read_from_the_text()
    {
        var state = InFlight(Docs, "plan");
        var text = """<<<RESPONSE>>>{"phase":"task_list","data":{"tasks":[{"id":"api","title":"the API","priority":1,"dependencies":[]}]}}<<<END>>>""";
        var legacy = Success(state, "plan", T0) with { Output = text };

        var step = GrantingNode.Plan(state, [legacy], 10, T0);

        Assert.Equal(["write-api"], step.Dispatches.Select(d => d.TaskId.Value));
    }

    [Fact]
    public void The_iteration_is_judged_on_the_verdict_its_scorer_read_without_reading_its_text()
    {
        var state = InFlight(Scored, "score");
        var ok = Success(state, "score", T0) with
        {
            Output = Unreadable,
            Verdict = new ScorerVerdict(0.9, "good", new Dictionary<string, double>(), new Dictionary<string, string>()),
        };

        var step = GrantingNode.Plan(state, [ok], 10, T0);

        Assert.Equal(SessionLifecycle.Completed, step.State.Lifecycle);
        Assert.Equal(0.9, Assert.IsType<SessionCompleted>(step.Events[^1]).FinalScore);
    }

    [Fact]
    public void A_scorer_success_journaled_with_its_text_only_is_read_from_the_text()
    {
        var state = InFlight(Scored, "score");
        var legacy = Success(state, "score", T0) with { Output = """{"score": 0.9, "critique": "good"}""" };

        var step = GrantingNode.Plan(state, [legacy], 10, T0);

        Assert.Equal(0.9, Assert.IsType<SessionCompleted>(step.Events[^1]).FinalScore);
    }

    [Fact]
    public void The_worker_puts_what_it_read_into_the_success_it_reports()
    {
        var planner = new PlannedTask(TaskId.Parse("plan"), "planner", "p", [], 0, TimeSpan.FromMinutes(1), 0, null, WorkflowPhases.Planning, null);
        var scorer = planner with { Id = TaskId.Parse("score"), Phase = WorkflowPhases.Scoring };
        var plan = """<<<RESPONSE>>>{"phase":"task_list","data":{"tasks":[{"id":"api","title":"the API","priority":1,"dependencies":[]}]}}<<<END>>>""";

        var planned = Assert.IsType<TaskSucceeded>(SessionEventFactory.Outcome(SessionId.Parse("s1"), TaskId.Parse("plan"), 1, TaskReplies.Read(planner, plan), plan, 1, TimeSpan.Zero, T0)[^1]);
        var scored = Assert.IsType<TaskSucceeded>(SessionEventFactory.Outcome(SessionId.Parse("s1"), TaskId.Parse("score"), 1,
            TaskReplies.Read(scorer, """{"score": 0.7, "critique": "ok"}"""), "", 1, TimeSpan.Zero, T0)[^1]);

        Assert.Equal(["api"], planned.TaskList!.Tasks.Select(t => t.Id));
        Assert.Equal(0.7, scored.Verdict!.Score);
        Assert.Equal(["api"], ((TaskSucceeded)RoundTrip(planned)).TaskList!.Tasks.Select(t => t.Id));
        Assert.Equal(0.7, ((TaskSucceeded)RoundTrip(scored)).Verdict!.Score);
    }

    [Fact]
    public void A_plain_success_is_journaled_as_it_was_with_no_empty_fields()
    {
        var state = InFlight(Docs, "plan");
        var json = System.Text.Json.JsonSerializer.Serialize(Success(state, "plan", T0));

        Assert.DoesNotContain("TaskList", json);
        Assert.DoesNotContain("Verdict", json);
    }
}
