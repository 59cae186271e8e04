namespace Orchestrator.Core.Decisions;

/// <summary>Why a ready task was not dispatched.</summary>
internal static class HeldBackReasons
{
    /// <summary>The session runs its maximum of concurrent tasks.</summary>
    internal const string Concurrency = "concurrency";
    /// <summary>The node has no free slot.</summary>
    internal const string NodeCapacity = "node-capacity";
    /// <summary>Its model got a dispatch less than the spacing ago.</summary>
    internal const string Spacing = "spacing";
    /// <summary>Its retry back-off has not passed.</summary>
    internal const string BackOff = "back-off";
    /// <summary>The session is paused.</summary>
    internal const string Paused = "paused";
    /// <summary>The time or token budget is spent.</summary>
    internal const string Budget = "budget";
    /// <summary>Its resource scopes overlap those of a task running or chosen first.</summary>
    internal const string Conflict = "conflict";
}
