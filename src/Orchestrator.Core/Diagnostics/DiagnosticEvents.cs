using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Diagnostics;

/// <summary>Events of the journal probe: the node's own check that its journal accepts, keeps and replays events
/// (readiness, <c>Orchestrator.Node probe-journal</c>, the persistence specs and benchmarks).</summary>
public static class DiagnosticEvents
{
    /// <summary>A probe event that stays out of the node-wide feed (untagged).</summary>
    public sealed record ProbeWritten(long Number, string Payload) : IPersistedEvent;

    /// <summary>A probe event that the node-wide feed reads (tagged).</summary>
    public sealed record ProbeFeedWritten(long Number, string Payload) : IFeedEvent;

    /// <summary>The probe's state: how many events it has, the sum and the largest of their numbers.</summary>
    public sealed record ProbeSnapshot(long Count, long Sum, long MaxNumber) : ISnapshotState;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("probe-written.v1", typeof(ProbeWritten)),
        new("probe-feed-written.v1", typeof(ProbeFeedWritten)),
        new("probe-snapshot.v1", typeof(ProbeSnapshot)),
    ];
}
