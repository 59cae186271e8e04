using System.Collections.Immutable;
using Akka.Persistence.Journal;
using Orchestrator.Core.Messaging;

namespace Orchestrator.Engine.Persistence;

/// <summary>Write adapter that tags the events the node-wide feed reads (<see cref="IFeedEvent"/>) and nothing else:
/// a tag costs the journal a row and a round trip, and per-session views read by persistence id.</summary>
public sealed class FeedTagger : IWriteEventAdapter
{
    /// <summary>The tag of the node-wide feed.</summary>
    public const string FeedTag = "feed";

    private static readonly IImmutableSet<string> Tags = ImmutableHashSet.Create(FeedTag);

    /// <inheritdoc />
    public string Manifest(object evt) => string.Empty;

    /// <inheritdoc />
    public object ToJournal(object evt) => evt is IFeedEvent ? new Tagged(evt, Tags) : evt;
}
