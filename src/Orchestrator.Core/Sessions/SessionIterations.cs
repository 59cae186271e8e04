using Orchestrator.Core.Ids;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>A session's iterations: another iteration reruns the named tasks and everything downstream of them, each
/// with its critique; a completed iteration adds its metrics and moves the best score.</summary>
internal static class SessionIterations
{
    /// <summary>A score must beat the best so far by more than this to count as an improvement.</summary>
    internal const double MinImprovement = 0.001;

    internal static SessionState ApplyStarted(SessionState state, IterationStarted i)
    {
        var edit = new SessionStateEditor(state);
        var closure = edit.Downstream(i.TaskIds.Where(edit.Tasks.ContainsKey));
        foreach (var id in closure)
        {
            var task = edit.Tasks[id];
            if (task.Spec.IsPrototype || !task.IsTerminal) continue;
            edit.Uncount(task.State);
            edit.PendingSkips.Remove(id);
            edit.Tasks[id] = task with
            {
                State = TaskRunState.Pending,
                Failures = 0,
                Output = null,
                LastError = null,
                RetryAt = null,
                Critique = i.Critiques.GetValueOrDefault(id),
                Verdict = null,
            };
        }
        foreach (var id in closure)
        {
            var task = edit.Tasks[id];
            if (task.State != TaskRunState.Pending) continue;
            var pending = task.Spec.DependencyIds().Count(dep => edit.Tasks[dep].State != TaskRunState.Succeeded);
            task = task with { PendingDependencies = pending };
            edit.Tasks[id] = task;
            if (pending == 0) edit.MakeReady(task);
        }
        return edit.Build() with
        {
            Iteration = i.Iteration,
            IterationStartedAt = i.At,
            IterationTokens = 0,
            IterationTasksRun = 0,
            IterationTasksFailed = 0,
        };
    }

    internal static SessionState ApplyCompleted(SessionState state, IterationCompleted i)
    {
        var score = i.Metrics.Score;
        var improved = score is { } s && (state.BestScore is not { } best || s > best + MinImprovement);
        return state with
        {
            History = state.History.Add(i.Metrics),
            BestScore = improved ? score : state.BestScore,
            IterationsWithoutImprovement = improved ? 0 : state.IterationsWithoutImprovement + 1,
        };
    }
}
