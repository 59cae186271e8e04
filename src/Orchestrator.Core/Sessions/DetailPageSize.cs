using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>How much text one <see cref="SessionDetail"/> carries, so that it crosses remoting in one frame whatever the
/// session's size: a larger session is read in pages (<see cref="SessionDetail.NextTask"/>). Text is counted in
/// characters, and JSON writes a character in at most 6 bytes (an escaped one, <c>\u00e9</c>); half the frame is left
/// for the envelope, the figures and the field names.</summary>
/// <param name="MaxChars">The characters of text a page holds at most; a page holds at least one task all the same.</param>
public readonly record struct DetailPageSize(long MaxChars)
{
    /// <summary>Characters counted for a task's field names, state and figures beside its text.</summary>
    private const int TaskFieldChars = 256;

    /// <summary>No limit: every task in one detail, for a reader in the session's own process.</summary>
    public static DetailPageSize Unlimited => new(long.MaxValue);

    /// <summary>The page that fits a remoting frame of <paramref name="frameBytes"/> bytes
    /// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>).</summary>
    public static DetailPageSize ForFrame(long frameBytes) => new(Math.Max(1, frameBytes / 12));

    /// <summary>The characters <paramref name="task"/> counts for.</summary>
    public static long CharsOf(TaskView task) =>
        TaskFieldChars + task.Id.Length + task.AgentRole.Length + Length(task.Phase) + task.DependsOn.Sum(d => d.Length + 3L)
        + Length(task.Model) + Length(task.Output) + Length(task.LastError) + Length(task.Agent)
        + (task.Question is { } q ? q.Text.Length + Length(q.Schema) + 64 : 0);

    /// <summary>The characters a session's inputs count for.</summary>
    public static long CharsOf(IReadOnlyDictionary<string, string> inputs) => inputs.Sum(i => i.Key.Length + i.Value.Length + 6L);

    private static int Length(string? text) => text?.Length ?? 0;
}
