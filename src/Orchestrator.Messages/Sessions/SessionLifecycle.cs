namespace Orchestrator.Messages.Sessions;

/// <summary>Where a session is in its life.</summary>
public enum SessionLifecycle
{
    /// <summary>No event yet: the session does not exist.</summary>
    New,
    /// <summary>Dispatching tasks.</summary>
    Running,
    /// <summary>No new dispatches; tasks in flight finish.</summary>
    Paused,
    /// <summary>Finished with a result.</summary>
    Completed,
    /// <summary>Finished without a result.</summary>
    Failed,
    /// <summary>Stopped by request.</summary>
    Cancelled,
}

/// <summary>Where one task is.</summary>
public enum TaskRunState
{
    /// <summary>Waits for dependencies (or, for a prototype, for a planner's task list).</summary>
    Pending,
    /// <summary>Dependencies done; may be dispatched.</summary>
    Ready,
    /// <summary>An attempt is with a worker.</summary>
    Dispatched,
    /// <summary>Failed, and will be retried once its back-off has passed.</summary>
    RetryWaiting,
    /// <summary>Done with an output; never run again in this iteration.</summary>
    Succeeded,
    /// <summary>Failed for good.</summary>
    Failed,
    /// <summary>Will not run: an input failed or was skipped.</summary>
    Skipped,
    /// <summary>A person's answer to its question is awaited (a human node); it holds no dispatch slot.</summary>
    Waiting,
}
