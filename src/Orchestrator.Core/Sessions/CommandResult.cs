using Orchestrator.Core.Messaging;

namespace Orchestrator.Core.Sessions;

/// <summary>What a session decided about a command: the events to persist (none for a refusal, a query or a no-op),
/// the reply to send once they are persisted, and the state after them, folded once (the coordinator adopts it when the
/// write is confirmed).</summary>
public sealed record CommandResult(IReadOnlyList<IPersistedEvent> Events, IClusterMessage Reply, SessionState State)
{
    internal bool IsRejected => Reply is SessionReplies.SessionRejected;
}
