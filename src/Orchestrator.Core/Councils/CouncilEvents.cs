using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Councils;

/// <summary>The events a council node adds to its session's journal: the council it convened (its members, fixed for
/// the attempt even if the directory changes), then each transcript entry as it happens. Replayed, they let a council
/// restarted after a crash go on from where it was.</summary>
public static class CouncilEvents
{
    /// <summary>Attempt <see cref="Attempt"/> of task <see cref="TaskId"/> convened <see cref="Council"/>.</summary>
    public sealed record CouncilConvened(SessionId SessionId, TaskId TaskId, int Attempt, CouncilSpec Council, DateTimeOffset At) : IPersistedEvent;

    /// <summary>One entry of a council's transcript.</summary>
    public sealed record CouncilEntryRecorded(SessionId SessionId, TaskId TaskId, int Attempt, CouncilEntry Entry, DateTimeOffset At) : IPersistedEvent;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("council-convened.v1", typeof(CouncilConvened)),
        new("council-entry-recorded.v1", typeof(CouncilEntryRecorded)),
    ];
}
