using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Diagnostics;

/// <summary>Commands and replies of the journal probe.</summary>
public static class ProbeCommands
{
    /// <summary>Persist events numbered <paramref name="From"/> to <paramref name="From"/>+<paramref name="Count"/>-1
    /// in one atomic write (tagged for the feed when <paramref name="Tagged"/>); each is acknowledged once durable.</summary>
    public sealed record Write(long From, int Count, bool Tagged, string Payload = "") : IClusterMessage;

    /// <summary>Event <paramref name="Number"/> is durable at <paramref name="SequenceNr"/>.</summary>
    public sealed record Written(long Number, long SequenceNr) : IClusterMessage;

    /// <summary>Ask for the probe's state.</summary>
    public sealed record GetState : IClusterMessage;

    /// <summary>The probe's state after recovery and writes.</summary>
    public sealed record State(long Count, long Sum, long MaxNumber, long LastSequenceNr, bool FromSnapshot) : IClusterMessage;

    /// <summary>Save a snapshot of the current state.</summary>
    public sealed record TakeSnapshot : IClusterMessage;

    /// <summary>The snapshot is saved (or not, with the reason).</summary>
    public sealed record SnapshotTaken(long SequenceNr, string? Error) : IClusterMessage;

    /// <summary>Delete events up to and including <paramref name="ToSequenceNr"/>.</summary>
    public sealed record DeleteEvents(long ToSequenceNr) : IClusterMessage;

    /// <summary>Events are deleted (or not, with the reason).</summary>
    public sealed record EventsDeleted(long ToSequenceNr, string? Error) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("probe-write.v1", typeof(Write)),
        new("probe-written-ack.v1", typeof(Written)),
        new("probe-get-state.v1", typeof(GetState)),
        new("probe-state.v1", typeof(State)),
        new("probe-take-snapshot.v1", typeof(TakeSnapshot)),
        new("probe-snapshot-taken.v1", typeof(SnapshotTaken)),
        new("probe-delete-events.v1", typeof(DeleteEvents)),
        new("probe-events-deleted.v1", typeof(EventsDeleted)),
    ];
}
