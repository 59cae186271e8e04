using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>Turns a worker's reading of a reply into the events the coordinator persists for it, in one write:
/// a <c>ProtocolWarning</c> per fallback used, then <c>TaskSucceeded</c> or <c>TaskFailed</c> (keeping the raw text).</summary>
public static class SessionEventFactory
{
    public static IReadOnlyList<IPersistedEvent> Outcome(
        SessionId sessionId, TaskId taskId, int attempt, TaskReply reply, string raw, long tokens, TimeSpan duration, DateTimeOffset at)
    {
        var events = new List<IPersistedEvent>(reply.Warnings.Count + 1);
        events.AddRange(reply.Warnings.Select(w => new ProtocolWarning(sessionId, taskId, attempt, w.Code, w.Message, at)));
        events.Add(reply.Success
            ? new TaskSucceeded(sessionId, taskId, attempt, reply.Output, tokens, duration, at, reply.TaskList, reply.Verdict)
            : new TaskFailed(sessionId, taskId, attempt, reply.Problem ?? "unreadable reply", raw, Retryable: true, tokens, at));
        return events;
    }
}
