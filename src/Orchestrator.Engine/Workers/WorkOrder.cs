using Orchestrator.Core.Protocol;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Engine.Workers;

/// <summary>One attempt of one task as a worker runs it: the persisted dispatch, the rendered prompt, what its reply
/// must be (a protocol phase, or JSON of a schema), and its deadline.</summary>
internal sealed record WorkOrder(
    TaskDispatched Dispatch,
    string Prompt,
    ResponsePhase? ExpectedPhase,
    string? OutputSchema,
    TimeSpan Timeout);

/// <summary>A worker's report to its session: the outcome of its attempt and the protocol warnings of the reply.
/// It never leaves the node (a worker is its session's child).</summary>
internal sealed record WorkerReport(IReadOnlyList<ProtocolWarning> Warnings, TaskSucceeded? Succeeded, TaskFailed? Failed)
    : Akka.Actor.INoSerializationVerificationNeeded
{
    internal string TaskId => Succeeded?.TaskId ?? Failed!.TaskId;
}
