using Akka.Persistence.Query;
using Orchestrator.Api.Contracts.Cluster;
using Orchestrator.Api.Contracts.Diagnostics;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Management.ManagementQueries;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>The management actor's replies and the journal's envelopes as the API's contracts.</summary>
internal static class ManagementViews
{
    public static ClusterStateDto ToDto(this ClusterState s) => new(s.Self, s.Leader,
        s.Members.Select(m => new ClusterMemberDto(m.Address, m.Status, m.Roles, m.Reachable, m.IsLeader, m.IsSelf)).ToList());

    public static ActorHierarchyDto ToDto(this ActorHierarchy h) => new(h.Node, h.Roots.Select(ToDto).ToList());

    public static ActorNodeDto ToDto(this ActorNode n) => new(n.Path, n.Type, n.MailboxDepth, n.ChildCount, n.Children.Select(ToDto).ToList());

    /// <summary>One journal entry: our events with their JSON, anything else by type name only.</summary>
    public static JournalEntryDto ToJournalEntry(this EventEnvelope envelope)
    {
        var known = MessageCatalog.Default.TryGetManifest(envelope.Event.GetType(), out var manifest);
        return new JournalEntryDto(
            envelope.SequenceNr,
            envelope.Offset is Sequence s ? s.Value : 0,
            // Akka stamps events with DateTime.UtcNow.Ticks.
            envelope.Timestamp is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(envelope.Timestamp, TimeSpan.Zero) : DateTimeOffset.MinValue,
            known ? manifest : envelope.Event.GetType().Name,
            known ? EventJson.Of(envelope.Event) : null);
    }
}
