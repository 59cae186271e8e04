using Orchestrator.Core.Protocol;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Sessions;

/// <summary>How a planned task's reply is read, by its phase: a planner's as a task list, a per-task worker's as a
/// completion, a scorer's as a verdict, any other task's as its output.</summary>
public static class TaskReplies
{
    /// <summary>The kind of reply <paramref name="task"/> gives.</summary>
    public static ReplyKind KindOf(PlannedTask task) => task.Phase switch
    {
        WorkflowPhases.Planning => ReplyKind.TaskList,
        WorkflowPhases.Worker => ReplyKind.Completion,
        WorkflowPhases.Scoring => ReplyKind.Verdict,
        _ => ReplyKind.Output,
    };

    /// <summary>Reads <paramref name="raw"/> as <paramref name="task"/>'s reply.</summary>
    public static TaskReply Read(PlannedTask task, string raw) => TaskReplyReader.Read(KindOf(task), task.OutputSchema, raw);
}
