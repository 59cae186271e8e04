using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>The characters a session's detail counts for against its <see cref="Messaging.ReplyPageSize"/>.</summary>
public static class DetailChars
{
    /// <summary>Characters counted for a task's field names, state and figures beside its text.</summary>
    private const int TaskFieldChars = 256;

    /// <summary>The characters <paramref name="task"/> counts for.</summary>
    public static long Of(TaskView task) =>
        TaskFieldChars + task.Id.Length + task.AgentRole.Length + Length(task.Phase) + task.DependsOn.Sum(d => d.Length + 3L)
        + Length(task.Model) + Length(task.Output) + Length(task.LastError) + Length(task.Agent)
        + (task.Question is { } q ? q.Text.Length + Length(q.Schema) + 64 : 0);

    /// <summary>The characters a session's inputs count for.</summary>
    public static long Of(IReadOnlyDictionary<string, string> inputs) => inputs.Sum(i => i.Key.Length + i.Value.Length + 6L);

    private static int Length(string? text) => text?.Length ?? 0;
}
