using Orchestrator.Core.Messaging;

namespace Orchestrator.Core.Sessions;

/// <summary>What a session decided about a command: the events to persist (none for a refusal or a no-op) and the
/// reply to send once they are persisted.</summary>
internal sealed record CommandResult(IReadOnlyList<IPersistedEvent> Events, IClusterMessage Reply)
{
    internal bool IsRejected => Reply is SessionReplies.SessionRejected;
}
