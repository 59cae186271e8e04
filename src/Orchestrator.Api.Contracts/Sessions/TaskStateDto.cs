namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>Where one task of a session is (<c>pending</c>, <c>retry_waiting</c>...).</summary>
public enum TaskStateDto
{
    /// <summary>Waits for dependencies (or, for a prototype, for a planner's task list).</summary>
    Pending,
    /// <summary>Dependencies done; may be dispatched.</summary>
    Ready,
    /// <summary>An attempt is with a worker.</summary>
    Dispatched,
    /// <summary>Failed, and will be retried once its back-off has passed.</summary>
    RetryWaiting,
    /// <summary>Done with an output.</summary>
    Succeeded,
    /// <summary>Failed for good.</summary>
    Failed,
    /// <summary>Will not run: an input failed or was skipped.</summary>
    Skipped,
    /// <summary>A person's answer to its question is awaited (a human node).</summary>
    Waiting,
}
