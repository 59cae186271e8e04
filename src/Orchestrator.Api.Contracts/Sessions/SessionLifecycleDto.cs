namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>Where a session is in its life (<c>running</c>, <c>completed</c>...).</summary>
public enum SessionLifecycleDto
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
