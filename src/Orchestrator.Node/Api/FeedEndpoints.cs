using System.Net.ServerSentEvents;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;
using Orchestrator.Api.Contracts.Diagnostics;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Persistence;
using Orchestrator.Node.Api.Mapping;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Api;

/// <summary>The node-wide feed as Server-Sent Events: every persisted <see cref="IFeedEvent"/>, in the journal's
/// order, live. Each event's id is its journal ordering, so a client that reconnects with <c>Last-Event-ID</c>
/// (or <c>?after=N</c>) resumes exactly after the last event it saw. A stream the node ends early (it stops, its database
/// fails) ends with an <c>end</c> event saying why (<see cref="StreamEnding"/>).</summary>
public static class FeedEndpoints
{
    /// <summary>Maps <c>GET /api/events</c>.</summary>
    public static void MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", (HttpRequest request, long? after, ActorSystem system, StreamEnding ending, FeedBacklog backlog,
            NodeSettings settings, CancellationToken ct) =>
        {
            if (!ResumePoint.TryRead(request, after, "a journal ordering", out var resumeAfter, out var problem))
                return Problems.BadRequest(problem!);
            var journal = ReadJournals.For<SqlReadJournal>(system);
            var events = backlog.Run(journal.EventsByTag(FeedTagger.FeedTag, Offset.Sequence(resumeAfter ?? 0)).Select(ToSseItem),
                settings.Api.FeedBuffer, system);
            return TypedResults.ServerSentEvents(ending.RunAsync("events", request.HttpContext, events, ct));
        }).Produces<FeedEventDto>(StatusCodes.Status200OK, "text/event-stream");
    }

    private static SseItem<object> ToSseItem(EventEnvelope envelope)
    {
        var manifest = MessageCatalog.Default.ManifestOrName(envelope.Event.GetType());
        var ordering = envelope.Offset is Sequence s ? s.Value : 0;
        return new SseItem<object>(
            new FeedEventDto(ordering, envelope.PersistenceId, envelope.SequenceNr, manifest, EventJson.Of(envelope.Event)),
            manifest)
        {
            EventId = ordering.ToString(),
        };
    }
}
