namespace Orchestrator.Core.Decisions;

/// <summary>What the node's dispatch board decided for one session: slots granted, tasks that can never run here
/// (each with the reason: they fail), and tasks held back for now with the reason (they wait for a slot, an agent or a
/// model).</summary>
public sealed record DispatchAnswer(
    string SessionId,
    IReadOnlyList<DispatchGrant> Grants,
    IReadOnlyList<DispatchRefusal> Refusals,
    IReadOnlyList<DispatchHold> Holds);

/// <summary>A task no agent and no model of this node can run, with the reason.</summary>
public sealed record DispatchRefusal(string TaskId, int Attempt, string Reason);

/// <summary>A task that waits, with the reason (<see cref="HeldBackReasons"/>).</summary>
public sealed record DispatchHold(string TaskId, string Reason);
