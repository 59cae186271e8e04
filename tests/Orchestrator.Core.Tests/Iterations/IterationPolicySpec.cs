using Orchestrator.Core.Ids;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Iterations;

public class IterationPolicySpec
{
    private static SessionState Finished(SessionSettingsSpec settings, long tokens = 10)
    {
        var template = Template(settings with { ScorerNode = settings.ScorerNode ?? "score" },
            Node("structure"), Node("pacing"), Node("style"), Node("score", phase: WorkflowPhases.Scoring, deps: ["structure", "pacing", "style"]));
        var (state, _) = Started(template);
        while (!state.IsDagDone)
        {
            var (next, outcome) = Step(state, T0);
            state = next;
            foreach (var d in outcome.Dispatches) state = state.Apply(Success(state, d.TaskId.Value, T0.AddMinutes(1), tokens));
        }
        return state;
    }

    private static ScorerVerdict Verdict(double score, params (string Id, double Score)[] tasks) =>
        new(score, "overall", tasks.ToDictionary(t => t.Id, t => t.Score), tasks.ToDictionary(t => t.Id, t => $"fix {t.Id}"));

    [Fact]
    public void Stops_when_the_score_reaches_the_threshold()
    {
        var decision = IterationPolicy.Evaluate(Finished(new(QualityThreshold: 0.8, MaxIterations: 5)), Verdict(0.85), T0.AddMinutes(2));

        Assert.True(decision.Stop);
        Assert.Contains("quality reached", decision.Reason);
        var completed = Assert.IsType<SessionCompleted>(decision.Events[^1]);
        Assert.Equal(0.85, completed.FinalScore);
        var metrics = Assert.IsType<IterationCompleted>(decision.Events[0]).Metrics;
        Assert.Equal((1, 0.85, 4, 40L, TimeSpan.FromMinutes(2)), (metrics.Iteration, metrics.Score!.Value, metrics.TasksRun, metrics.Tokens, metrics.Duration));
    }

    [Fact]
    public void Another_iteration_reruns_the_lowest_scored_tasks_with_their_critique()
    {
        var state = Finished(new(QualityThreshold: 0.9, MaxIterations: 5, TasksPerIteration: 2));

        var decision = IterationPolicy.Evaluate(state, Verdict(0.6, ("structure", 0.9), ("pacing", 0.3), ("style", 0.5)), T0);

        Assert.False(decision.Stop);
        var next = Assert.IsType<IterationStarted>(decision.Events[^1]);
        Assert.Equal(2, next.Iteration);
        Assert.Equal(["pacing", "style"], next.TaskIds.Select(t => t.Value));
        Assert.Equal("fix pacing", next.Critiques[TaskId.Parse("pacing")]);

        state = state.ApplyAll(decision.Events);
        Assert.Equal(TaskRunState.Succeeded, state.Tasks[TaskId.Parse("structure")].State);
        Assert.Equal(TaskRunState.Pending, state.Tasks[TaskId.Parse("score")].State);
        Assert.Equal(["pacing", "style"], state.Ready.Select(r => r.TaskId.Value));
        Assert.Equal("fix style", state.Tasks[TaskId.Parse("style")].Critique);
        Assert.False(state.IsDagDone);
        var (_, step) = Step(state, T0);
        Assert.Equal([2, 2], step.Dispatches.Select(d => d.Attempt));
    }

    [Fact]
    public void Stops_at_max_iterations()
    {
        var decision = IterationPolicy.Evaluate(Finished(new(QualityThreshold: 0.9, MaxIterations: 1)), Verdict(0.2), T0);
        Assert.True(decision.Stop);
        Assert.Contains("max iterations", decision.Reason);
    }

    [Fact]
    public void Stops_when_the_time_or_token_budget_is_spent()
    {
        var time = IterationPolicy.Evaluate(Finished(new(MaxIterations: 9, TimeBudget: TimeSpan.FromMinutes(5))), Verdict(0.1), T0.AddMinutes(5));
        Assert.Contains("time budget", time.Reason);

        var tokens = IterationPolicy.Evaluate(Finished(new(MaxIterations: 9, TokenBudget: 40)), Verdict(0.1), T0);
        Assert.Contains("token budget", tokens.Reason);
    }

    [Fact]
    public void Stops_after_k_iterations_without_improvement()
    {
        var state = Finished(new(QualityThreshold: 0.99, MaxIterations: 10, MaxIterationsWithoutImprovement: 2));
        var scores = new[] { 0.5, 0.7, 0.65, 0.7 };
        IterationDecision? decision = null;
        foreach (var score in scores)
        {
            decision = IterationPolicy.Evaluate(state, Verdict(score, ("structure", 0.1)), T0);
            state = state.ApplyAll(decision.Events);
            if (decision.Stop) break;
            while (!state.IsDagDone)
            {
                var (next, outcome) = Step(state, T0);
                state = next;
                foreach (var d in outcome.Dispatches) state = state.Apply(Success(state, d.TaskId.Value, T0));
            }
        }

        Assert.True(decision!.Stop);
        Assert.Contains("no improvement in 2", decision.Reason);
        Assert.Equal(4, state.History.Count);
        Assert.Equal(0.7, state.BestScore);
        Assert.Equal(0.7, Assert.IsType<SessionCompleted>(decision.Events[^1]).FinalScore);
    }

    [Fact]
    public void A_task_failed_for_good_fails_the_session_with_the_reason()
    {
        var (state, _) = Started(Template(null, Node("a"), Node("b", deps: "a")));
        (state, _) = Step(state, T0);
        state = state.Apply(Failure(state, "a", T0, retryable: false));
        state = state.ApplyAll(Step(state, T0).Outcome.Events);

        var decision = IterationPolicy.Evaluate(state, null, T0);

        Assert.Contains("a (model said no)", Assert.IsType<SessionFailed>(decision.Events[^1]).Reason);
    }

    [Fact]
    public void Without_a_scorer_one_iteration_completes_the_session()
    {
        var (state, _) = Started(Template(null, Node("a")));
        (state, _) = Step(state, T0);
        state = state.Apply(Success(state, "a", T0));
        Assert.IsType<SessionCompleted>(IterationPolicy.Evaluate(state, null, T0).Events[^1]);
    }

    [Theory]
    [InlineData("""{"score": 0.7, "critique": "ok", "tasks": [{"id": "pacing", "score": 0.2, "critique": "slow"}]}""", 0.7, 0)]
    [InlineData("Verdict:\n```json\n{\"score\": 7, \"critique\": \"ok\"}\n```", 0.7, 2)]
    [InlineData("<<<ORCHESTRATOR_RESPONSE>>>{'score': 85, 'critique': 'good',}<<<END_ORCHESTRATOR_RESPONSE>>>", 0.85, 2)]
    public void Scorer_reply_is_read_with_fallbacks_and_scales(string reply, double score, int warnings)
    {
        var list = new List<ParseWarning>();
        var (verdict, problem) = ScorerVerdict.Parse(reply, list);

        Assert.Null(problem);
        Assert.Equal(score, verdict!.Score, 6);
        Assert.Equal(warnings, list.Count);
    }

    [Theory]
    [InlineData("no json here")]
    [InlineData("""{"critique": "no score"}""")]
    [InlineData("""{"score": 400}""")]
    public void Unusable_scorer_reply_is_a_problem(string reply)
    {
        var (verdict, problem) = ScorerVerdict.Parse(reply, []);
        Assert.Null(verdict);
        Assert.NotNull(problem);
    }

    [Fact]
    public void Budget_stop_completes_with_the_best_score_so_far()
    {
        var state = Finished(new(QualityThreshold: 0.99, MaxIterations: 5));
        state = state.ApplyAll(IterationPolicy.Evaluate(state, Verdict(0.6, ("structure", 0.1)), T0).Events);

        var stop = IterationPolicy.Stop(state, "token budget spent", T0);
        state = state.ApplyAll(stop.Events);

        Assert.Equal(SessionLifecycle.Completed, state.Lifecycle);
        Assert.Equal(0.6, state.FinalScore);
        Assert.Equal("token budget spent", state.EndReason);
    }
}
