namespace Orchestrator.Core.Decisions;

/// <summary>What the node's dispatch board decided for one session: slots granted, tasks that can never run here
/// (each with the reason: they fail), and tasks held back for now with the reason (they wait for a slot, an agent or a
/// model). <see cref="MayCarry"/>: nobody else waits, so the session may pass the slot of an attempt that ended to its
/// next task of the same role without asking (<see cref="DispatchBoard.Carry"/>), until an answer says otherwise.</summary>
public sealed record DispatchAnswer(
    string SessionId,
    IReadOnlyList<DispatchGrant> Grants,
    IReadOnlyList<DispatchRefusal> Refusals,
    IReadOnlyList<DispatchHold> Holds,
    bool MayCarry = false);

/// <summary>A task no agent and no model of this node can run, with the reason.</summary>
public sealed record DispatchRefusal(string TaskId, int Attempt, string Reason);

/// <summary>A task that waits, with the reason (<see cref="HeldBackReasons"/>).</summary>
public sealed record DispatchHold(string TaskId, string Reason);
