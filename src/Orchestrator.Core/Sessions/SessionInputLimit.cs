using System.Text;
using Orchestrator.Core.Contracts;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>The node's limit on a session's inputs, all of them together (names and values, in UTF-8 bytes), set by
/// <see cref="Key"/>: a start over it is refused before its template is resolved or anything is persisted, on every path
/// (the API's 413, a <c>SessionRejected</c> to an actor).</summary>
public static class SessionInputLimit
{
    /// <summary>The setting that holds the limit, named by every refusal.</summary>
    public const string Key = "orchestrator.sessions.max-input-size";

    /// <summary>The size the limit counts: the UTF-8 bytes of every input's name and value.</summary>
    public static long SizeOf(IReadOnlyDictionary<string, string>? inputs) =>
        inputs?.Sum(kv => (long)Encoding.UTF8.GetByteCount(kv.Key) + Encoding.UTF8.GetByteCount(kv.Value ?? "")) ?? 0;

    /// <summary>Why <paramref name="inputs"/> are refused under <paramref name="maxBytes"/> (their size, the limit and
    /// its key), or null when they fit.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string>? inputs, long maxBytes) =>
        SizeOf(inputs) is var size && size > maxBytes
            ? $"the session's inputs have {size} bytes together; this node accepts at most {maxBytes} ({Key})"
            : null;

    /// <summary>The refusal of <paramref name="cmd"/> when its inputs are over <paramref name="maxBytes"/>, or null to
    /// decide it as usual (<see cref="SessionDecider"/>).</summary>
    public static CommandResult<SessionState>? Refusal(SessionState state, StartSession cmd, long maxBytes) =>
        Problem(cmd.Inputs, maxBytes) is { } why
            ? new CommandResult<SessionState>([], new SessionRejected(cmd.SessionId, [why]), state)
            : null;
}
