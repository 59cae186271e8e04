namespace Orchestrator.Core.Decisions;

/// <summary>Why a ready task was not dispatched.</summary>
public static class HeldBackReasons
{
    /// <summary>The session runs its maximum of concurrent tasks.</summary>
    public const string Concurrency = "concurrency";
    /// <summary>The node has no free slot.</summary>
    public const string NodeCapacity = "node-capacity";
    /// <summary>Its model got a dispatch less than the spacing ago.</summary>
    public const string Spacing = "spacing";
    /// <summary>Its retry back-off has not passed.</summary>
    public const string BackOff = "back-off";
    /// <summary>The session is paused.</summary>
    public const string Paused = "paused";
    /// <summary>The time or token budget is spent.</summary>
    public const string Budget = "budget";
    /// <summary>Its resource scopes overlap those of a task running or chosen first.</summary>
    public const string Conflict = "conflict";
    /// <summary>Every agent that could run it is at its limit of concurrent tasks.</summary>
    public const string AgentBusy = "agent-busy";
    /// <summary>The model of every agent that could run it (or of its role) is down.</summary>
    public const string ModelDown = "model-down";
}
