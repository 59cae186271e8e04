using Orchestrator.Core.Agents;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>What a session tells the agent registry and the lesson store about an event it just persisted, given the
/// state before it (nothing of a human node's, which a person answered): each attempt's outcome (agent = the task's role, kind = its kind or id) and each scorer's verdict;
/// and a candidate lesson when a task succeeds after a failed attempt (what went wrong = the last failure's reason) or
/// after a critique (what went wrong = the critique), what fixed it being the start of the succeeding reply.</summary>
public static class SessionFeedback
{
    /// <summary>Reports for the agent registry, each with the key it is counted once by.</summary>
    public static IEnumerable<AgentCommands.IAgentReport> ForAgents(SessionState before, IPersistedEvent e)
    {
        switch (e)
        {
            case TaskSucceeded or TaskFailed when IsPersons(before, e):
                break; // a person answered it: no agent's performance to learn
            case TaskSucceeded ok when before.Tasks.TryGetValue(ok.TaskId, out var task):
                yield return new AgentCommands.RecordTaskOutcome(
                    task.Learner, task.Spec.KindOrId, AttemptId.Of(ok.SessionId, ok.TaskId, ok.Attempt).ToString(), true, ok.Duration, ok.Tokens, ok.At);
                break;
            case TaskFailed failed when before.Tasks.TryGetValue(failed.TaskId, out var task):
                var took = task.DispatchedAt is { } at && failed.At > at ? failed.At - at : TimeSpan.Zero;
                yield return new AgentCommands.RecordTaskOutcome(
                    task.Learner, task.Spec.KindOrId, AttemptId.Of(failed.SessionId, failed.TaskId, failed.Attempt).ToString(), false, took, failed.Tokens, failed.At);
                break;
            case IterationCompleted done:
                foreach (var (taskId, score) in done.TaskScores.OrderBy(s => s.Key, StringComparer.Ordinal))
                    if (TaskId.TryParse(taskId, out var id) && before.Tasks.TryGetValue(id, out var scored) && scored.Attempt >= 1)
                        yield return new AgentCommands.RecordQuality(scored.Learner, scored.Spec.KindOrId, score, done.At,
                            AttemptId.Of(done.SessionId, id, scored.Attempt).Part($"quality-{before.Iteration}"));
                break;
        }
    }

    /// <summary>Whether <paramref name="e"/> is the outcome of a human node (answered by a person, not an agent).</summary>
    private static bool IsPersons(SessionState before, IPersistedEvent e)
    {
        TaskId? id = e switch { TaskSucceeded s => s.TaskId, TaskFailed f => f.TaskId, _ => null };
        return id is { } taskId && before.Tasks.TryGetValue(taskId, out var task) && task.Spec.Human is not null;
    }

    /// <summary>A candidate lesson, or null.</summary>
    public static LessonCommands.RecordLesson? ForLessons(SessionState before, IPersistedEvent e)
    {
        if (e is not TaskSucceeded ok || !before.Tasks.TryGetValue(ok.TaskId, out var task) || task.Spec.Human is not null) return null;
        var fix = LessonCommands.Clip(ok.Output);
        if (task.Failures > 0 && task.LastError is { } error)
            return new(task.Spec.KindOrId, LessonCommands.Clip(error), fix, Lesson.FromFailure, task.Failures, ok.SessionId.Value, ok.TaskId.Value, ok.At);
        if (task.Critique is { } critique)
            return new(task.Spec.KindOrId, LessonCommands.Clip(critique), fix, Lesson.FromCritique, 0, ok.SessionId.Value, ok.TaskId.Value, ok.At);
        return null;
    }
}
