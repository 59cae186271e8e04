using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Sessions;

/// <summary>What ends a session, in one place: its finished lifecycles and the events that end it.</summary>
public static class SessionEnds
{
    /// <summary>Completed, failed or cancelled.</summary>
    public static bool IsFinished(this SessionLifecycle lifecycle) =>
        lifecycle is SessionLifecycle.Completed or SessionLifecycle.Failed or SessionLifecycle.Cancelled;

    /// <summary>The event that finishes a session: completed, failed or cancelled.</summary>
    public static bool IsEnd(object e) =>
        e is SessionEvents.SessionCompleted or SessionEvents.SessionFailed or SessionEvents.SessionCancelled;
}
