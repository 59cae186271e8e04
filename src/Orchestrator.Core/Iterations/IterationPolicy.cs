using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Iterations;

/// <summary>What the policy decided when a DAG finished: the events to persist (always <c>IterationCompleted</c>, then
/// <c>SessionCompleted</c>, <c>SessionFailed</c> or the next <c>IterationStarted</c>) and why.</summary>
internal sealed record IterationDecision(bool Stop, string Reason, IterationMetrics Metrics, IReadOnlyList<IPersistedEvent> Events);

/// <summary>The pure iteration controller. When a session's DAG is done it stops when a task failed for good, when
/// the score reaches the threshold, at max iterations, when the time or token budget is spent, or after K iterations
/// without improvement; otherwise it starts another iteration over the lowest-scored tasks, each with its critique.</summary>
internal static class IterationPolicy
{
    /// <summary>A score must beat the best so far by more than this to count as an improvement.</summary>
    internal const double MinImprovement = SessionIterations.MinImprovement;

    /// <summary>Evaluates a finished DAG with the scorer task's verdict, as its worker read it (none without a scorer,
    /// or when the scorer did not succeed). A success journaled before verdicts were persisted has only its output,
    /// which is read here as it was then.</summary>
    internal static IterationDecision Evaluate(SessionState state, DateTimeOffset now)
    {
        ScorerVerdict? verdict = null;
        if (TaskId.TryParse(state.Settings.ScorerNode, out var scorer) && state.Tasks.TryGetValue(scorer, out var task) && task.State == TaskRunState.Succeeded)
            verdict = task.Verdict ?? (task.Output is { } output ? ScorerVerdict.Parse(output, []).Verdict : null);
        return Evaluate(state, verdict, now);
    }

    /// <summary>Ends the session now for <paramref name="reason"/> (a budget the decision engine found spent, once
    /// nothing is in flight): the iteration's metrics, then <c>SessionCompleted</c> with the best score so far.</summary>
    internal static IterationDecision Stop(SessionState state, string reason, DateTimeOffset now)
    {
        var metrics = new IterationMetrics(state.Iteration, null, null, state.IterationTasksRun, state.IterationTasksFailed,
            state.IterationTokens, now - (state.IterationStartedAt ?? now));
        return new(true, reason, metrics,
        [
            new IterationCompleted(state.Id, metrics, null, new Dictionary<string, double>(), now),
            new SessionCompleted(state.Id, state.BestScore, reason, now),
        ]);
    }

    internal static IterationDecision Evaluate(SessionState state, ScorerVerdict? verdict, DateTimeOffset now)
    {
        var settings = state.Settings;
        var score = verdict?.Score;
        var improvement = score is { } s && state.BestScore is { } best ? s - best : (double?)null;
        var metrics = new IterationMetrics(
            state.Iteration, score, improvement, state.IterationTasksRun, state.IterationTasksFailed, state.IterationTokens,
            now - (state.IterationStartedAt ?? now));
        var completed = new IterationCompleted(
            state.Id, metrics, verdict?.Critique, verdict?.TaskScores ?? new Dictionary<string, double>(), now);
        var bestAfter = score is { } sc && (state.BestScore is not { } b || sc > b + MinImprovement) ? sc : state.BestScore;
        var stale = score is { } x && (state.BestScore is not { } b2 || x > b2 + MinImprovement) ? 0 : state.IterationsWithoutImprovement + 1;

        IterationDecision Stop(string reason) =>
            new(true, reason, metrics, [completed, new SessionCompleted(state.Id, bestAfter, reason, now)]);

        if (state.Failed > 0)
        {
            var failed = state.Tasks.Values.Where(t => t.State == TaskRunState.Failed).OrderBy(t => t.Order).Take(10)
                .Select(t => $"{t.Spec.Id} ({t.LastError})");
            var reason = $"{state.Failed} task(s) failed: {string.Join("; ", failed)}";
            return new(true, reason, metrics, [completed, new SessionFailed(state.Id, reason, now)]);
        }
        if (settings.ScorerNode is null) return Stop("done (no scorer)");
        if (verdict is null) return Stop("done (the scorer's reply had no score)");
        if (verdict.Score >= settings.QualityThreshold)
            return Stop($"quality reached: {verdict.Score:0.###} ≥ {settings.QualityThreshold:0.###}");
        if (state.Iteration >= settings.MaxIterations) return Stop($"max iterations reached ({settings.MaxIterations})");
        if (settings.TimeBudget is { } time && state.CreatedAt is { } created && now - created >= time)
            return Stop($"time budget spent ({time})");
        if (settings.TokenBudget is { } tokens && state.TokensUsed >= tokens)
            return Stop($"token budget spent ({state.TokensUsed} of {tokens})");
        if (stale >= settings.MaxIterationsWithoutImprovement)
            return Stop($"no improvement in {stale} iteration(s)");

        var rerun = TasksToRerun(state, verdict, settings);
        var critiques = rerun.ToDictionary(id => id, id => verdict.TaskCritiques.GetValueOrDefault(id.Value) ?? verdict.Critique);
        return new(false, $"score {verdict.Score:0.###} below {settings.QualityThreshold:0.###}: rerunning {string.Join(", ", rerun)}",
            metrics, [completed, new IterationStarted(state.Id, state.Iteration + 1, rerun, critiques, now)]);
    }

    /// <summary>The lowest-scored tasks (ties in plan order); without task scores, the scorer's own dependencies
    /// (or the scorer itself when it has none).</summary>
    private static IReadOnlyList<TaskId> TasksToRerun(SessionState state, ScorerVerdict verdict, SessionSettings settings)
    {
        var scorer = TaskId.Parse(settings.ScorerNode);
        // The scores are keyed by what the scorer wrote: only the keys that name a task of the plan count.
        var scored = verdict.TaskScores
            .Select(kv => (Named: TaskId.TryParse(kv.Key, out var id), Id: id, Score: kv.Value))
            .Where(x => x.Named && x.Id != scorer && state.Tasks.TryGetValue(x.Id, out var t) && !t.Spec.IsPrototype)
            .OrderBy(x => x.Score).ThenBy(x => state.Tasks[x.Id].Order)
            .Take(settings.TasksPerIteration)
            .Select(x => x.Id)
            .ToList();
        if (scored.Count > 0) return scored;
        var inputs = state.Tasks.TryGetValue(scorer, out var s)
            ? s.Spec.DependencyIds().Where(id => !state.Tasks[id].Spec.IsPrototype).ToList()
            : [];
        return inputs.Count > 0 ? inputs : [scorer];
    }
}
