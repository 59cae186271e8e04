using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>Whole sessions driven the way the coordinator drives them, with scripted model replies and no actors:
/// decide → persist dispatches → read replies → persist outcomes (with expansions) → iterate or finish.</summary>
public class SessionFlowSpec
{
    /// <summary>The coordinator's loop in miniature; at step <paramref name="crashAt"/> the node dies after persisting its
    /// dispatches and before any reply, and restarts at the next step from the journal.</summary>
    private sealed class Driver(WorkflowTemplate template, Func<TaskState, int, string> model, int? crashAt = null)
    {
        public readonly List<IPersistedEvent> Journal = [];
        public SessionState State = SessionState.Empty("flow");
        public DateTimeOffset Now = T0;

        private void Persist(IEnumerable<IPersistedEvent> events)
        {
            foreach (var e in events) { Journal.Add(e); State = State.Apply(e); }
        }

        public Driver Run()
        {
            var start = State.Decide(new SessionCommands.StartSession("flow", template.Name, new Dictionary<string, string>()),
                new Dictionary<string, WorkflowTemplate> { [template.Name] = template }, Now);
            Persist(start.Events);
            for (var step = 0; step < 1000 && !State.IsFinished; step++)
            {
                Now = Now.AddSeconds(1);
                // The node restarts after the crash: replay the journal; tasks in flight have no worker any more.
                if (step == crashAt + 1) State = SessionState.Empty("flow").ApplyAll(Journal).RequeueInFlight();
                var decision = GrantingNode.Next(State, new NodeContext(8, Now));
                Persist(decision.Events);
                foreach (var dispatch in decision.Dispatches)
                {
                    if (step == crashAt) break; // the node dies: dispatched, never answered
                    var task = State.Tasks[dispatch.TaskId];
                    var raw = model(task, State.Iteration);
                    var reply = TaskReplies.Read(task.Spec, raw);
                    var events = SessionEventFactory.Outcome(SessionId.Parse("flow"), task.Spec.Id, dispatch.Attempt, reply, raw, 100, TimeSpan.FromSeconds(1), Now);
                    var after = State.ApplyAll(events);
                    if (reply.TaskList is { } list && after.PrototypesWaitingOn(task.Spec.Id).Count > 0)
                    {
                        var expansion = after.DecideExpansion(task.Spec.Id, list, Now);
                        events = expansion.IsValid
                            ? [.. events, .. expansion.Events]
                            : [new TaskFailed(SessionId.Parse("flow"), task.Spec.Id, dispatch.Attempt, string.Join("; ", expansion.Problems), raw, true, 0, Now)];
                    }
                    Persist(events);
                }
                if (State.IsDagDone && State.InFlight.IsEmpty) Persist(IterationPolicy.Evaluate(State, Now).Events);
            }
            return this;
        }

        public int SuccessesOf(string taskId, int iteration) =>
            Journal.Aggregate((Iteration: 1, Count: 0), (acc, e) => e switch
            {
                IterationStarted s => (s.Iteration, acc.Count),
                TaskSucceeded t when t.TaskId.Value == taskId && acc.Iteration == iteration => (acc.Iteration, acc.Count + 1),
                _ => acc,
            }).Count;
    }

    private static readonly WorkflowTemplate Review = Template(
        new SessionSettingsSpec(MaxConcurrentTasks: 5, ScorerNode: "score", QualityThreshold: 0.8, MaxIterations: 3, TasksPerIteration: 2),
        new[] { "structure", "characters", "pacing", "style", "consistency" }
            .Select(id => Node(id, retries: 1) with { OutputSchema = """{"type": "object", "required": ["summary"]}""" })
            .Append(Node("recommendations", deps: ["structure", "characters", "pacing", "style", "consistency"]))
            .Append(Node("score", phase: WorkflowPhases.Scoring, deps: ["recommendations"]))
            .ToArray());

    private static string ReviewModel(TaskState task, int iteration) => task.Spec.Id.Value switch
    {
        "score" when iteration == 1 =>
            """{"score": 0.5, "critique": "thin", "tasks": [{"id": "pacing", "score": 0.2, "critique": "name scenes"}, {"id": "style", "score": 0.4}, {"id": "structure", "score": 0.9}]}""",
        "score" => "Score: ```json\n{\"score\": 9, \"critique\": \"good\"}\n```",
        "recommendations" => "Cut chapter 3.",
        "pacing" when task.Attempt == 1 => "I refuse.", // no JSON: fails, retried
        _ => $"{{'summary': '{task.Spec.Id} ok',}}",    // single quotes and a trailing comma: repaired
    };

    [Fact]
    public void Review_iterates_on_the_lowest_scored_analyses_until_the_quality_is_reached()
    {
        var run = new Driver(Review, ReviewModel).Run();

        Assert.Equal(SessionLifecycle.Completed, run.State.Lifecycle);
        Assert.Equal(0.9, run.State.FinalScore);
        Assert.Equal(2, run.State.History.Count);
        Assert.Equal(["pacing", "style"], run.Journal.OfType<IterationStarted>().Single().TaskIds.Select(t => t.Value));
        Assert.Equal(1, run.SuccessesOf("structure", 1));
        Assert.Equal(0, run.SuccessesOf("structure", 2));
        Assert.Equal(1, run.SuccessesOf("pacing", 2));
        Assert.Equal(1, run.SuccessesOf("score", 2));
        Assert.Contains(run.Journal.OfType<TaskFailed>(), f => f.TaskId.Value == "pacing" && f.RawText == "I refuse.");
        Assert.Contains(run.Journal.OfType<ProtocolWarning>(), w => w.Code == "repaired");
        Assert.Equal(Canonical(run.State), Canonical(SessionState.Empty("flow").ApplyAll(run.Journal)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    public void A_crash_at_any_step_completes_the_session_without_running_a_completed_task_again(int crashAt)
    {
        var run = new Driver(Review, ReviewModel, crashAt).Run();

        Assert.Equal(SessionLifecycle.Completed, run.State.Lifecycle);
        var failed = run.Journal.OfType<TaskFailed>().Select(f => (f.TaskId, f.Attempt)).ToHashSet();
        Assert.Contains(run.Journal.OfType<TaskDispatched>(), d => d.Attempt > 1 && !failed.Contains((d.TaskId, d.Attempt - 1)));
        foreach (var id in Review.Nodes.Select(n => n.Id))
            foreach (var iteration in new[] { 1, 2 })
                Assert.True(run.SuccessesOf(id, iteration) <= 1, $"{id} succeeded twice in iteration {iteration}");
    }

    private static readonly WorkflowTemplate Docs = Template(
        new SessionSettingsSpec(MaxConcurrentTasks: 4, ScorerNode: "verify", QualityThreshold: 0.75),
        Node("analysis", phase: WorkflowPhases.Planning),
        new WorkflowNode("write", "writer", "Write {TASK_TITLE}", ["analysis"], Phase: WorkflowPhases.PerTask),
        Node("aggregate", deps: ["analysis", "write"]),
        Node("verify", phase: WorkflowPhases.Scoring, deps: "aggregate"));

    private static string DocsModel(TaskState task, int iteration) => task.Spec.Phase switch
    {
        WorkflowPhases.Planning => """
            <<<ORCHESTRATOR_RESPONSE>>>
            {"phase": "task_list", "data": {"tasks": [
              {"id": "overview", "title": "Overview", "priority": 2, "dependencies": []},
              {"id": "api", "title": "API", "dependencies": ["overview"]},
              {"id": "ops", "title": "Operations", "dependencies": ["overview"]}]}}
            <<<END_ORCHESTRATOR_RESPONSE>>>
            """,
        WorkflowPhases.Worker => $$$"""
            <<<ORCHESTRATOR_RESPONSE>>>
            {"phase": "completion", "data": {"task_id": "{{{task.Spec.Id}}}", "status": "success", "summary": "# {{{task.Spec.Prompt}}}"}}
            <<<END_ORCHESTRATOR_RESPONSE>>>
            """,
        WorkflowPhases.Scoring => """{"score": 0.8, "critique": "fine"}""",
        _ => "the whole document",
    };

    [Fact]
    public void Docs_generation_plans_writes_each_proposed_part_aggregates_and_verifies()
    {
        var run = new Driver(Docs, DocsModel).Run();

        Assert.Equal(SessionLifecycle.Completed, run.State.Lifecycle);
        Assert.Equal("# Write Overview", run.State.Tasks[TaskId.Parse("write-overview")].Output);
        var order = run.Journal.OfType<TaskDispatched>().Select(d => d.TaskId.Value).ToList();
        Assert.Equal(["analysis", "write-overview"], order.Take(2));
        Assert.True(order.IndexOf("aggregate") > order.IndexOf("write-api"));
        Assert.True(order.IndexOf("aggregate") > order.IndexOf("write-ops"));
        Assert.DoesNotContain("write", order);
        Assert.Equal(Canonical(run.State), Canonical(SessionState.Empty("flow").ApplyAll(run.Journal)));
    }
}
