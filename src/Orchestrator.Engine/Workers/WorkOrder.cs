using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Engine.Workers;

/// <summary>One attempt of one task as a worker runs it: the persisted dispatch, the task's plan (which says how its
/// reply is read), its rendered prompt and the session's hard limit on a prompt (null when it sets none), which the
/// lessons appended to it respect.</summary>
internal sealed record WorkOrder(TaskDispatched Dispatch, PlannedTask Task, string Prompt, int? MaxPromptChars = null);

/// <summary>A worker's report to its session: the events of its attempt, in order: a <c>ProtocolWarning</c> per
/// fallback the reply needed, then the outcome (<c>TaskSucceeded</c> or <c>TaskFailed</c>). It never leaves the node
/// (a worker is its session's child).</summary>
internal sealed record WorkerReport(string TaskId, IReadOnlyList<IPersistedEvent> Events)
    : Akka.Actor.INoSerializationVerificationNeeded
{
    /// <summary>The attempt's outcome: the last event.</summary>
    internal IPersistedEvent Outcome => Events[^1];
}
