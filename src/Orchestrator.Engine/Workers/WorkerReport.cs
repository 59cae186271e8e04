using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;

namespace Orchestrator.Engine.Workers;

/// <summary>A worker's report to its session: the events of its attempt, in order: a <c>ProtocolWarning</c> per
/// fallback the reply needed, then the outcome (<c>TaskSucceeded</c> or <c>TaskFailed</c>). It never leaves the node
/// (a worker is its session's child).</summary>
internal sealed record WorkerReport(TaskId TaskId, IReadOnlyList<IPersistedEvent> Events)
    : Akka.Actor.INoSerializationVerificationNeeded
{
    /// <summary>The attempt's outcome: the last event.</summary>
    internal IPersistedEvent Outcome => Events[^1];
}
