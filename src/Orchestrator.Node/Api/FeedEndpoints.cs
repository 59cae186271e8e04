using System.Net.ServerSentEvents;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Api.Contracts.Diagnostics;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Persistence;
using Orchestrator.Node.Api.Mapping;

namespace Orchestrator.Node.Api;

/// <summary>The node-wide feed as Server-Sent Events: every persisted <see cref="IFeedEvent"/>, in the journal's
/// order, live. Each event's id is its journal ordering, so a client that reconnects with <c>Last-Event-ID</c>
/// (or <c>?after=N</c>) resumes exactly after the last event it saw.</summary>
public static class FeedEndpoints
{
    /// <summary>Events a slow client may fall behind before the stream waits for it (the journal keeps the rest).</summary>
    private const int Buffer = 256;

    /// <summary>Maps <c>GET /api/events</c>.</summary>
    public static void MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", (HttpRequest request, long? after, ActorSystem system, CancellationToken ct) =>
        {
            var resumeAfter = after ?? LastEventId(request);
            if (resumeAfter is < 0)
                return Problems.BadRequest("Last-Event-ID (or after) must be a journal ordering: a number >= 0.");
            var journal = ReadJournals.For<SqlReadJournal>(system);
            var events = journal
                .EventsByTag(FeedTagger.FeedTag, Offset.Sequence(resumeAfter ?? 0))
                .Select(ToSseItem)
                .Buffer(Buffer, OverflowStrategy.Backpressure)
                .RunAsAsyncEnumerable(system.Materializer());
            return TypedResults.ServerSentEvents(OpenedAtOnce(request.HttpContext, events, ct));
        }).Produces<FeedEventDto>(StatusCodes.Status200OK, "text/event-stream");
    }

    /// <summary>The <c>Last-Event-ID</c> header as a number; -1 when it is not one, null when absent.</summary>
    internal static long? LastEventId(HttpRequest request) =>
        request.Headers.TryGetValue("Last-Event-ID", out var value)
            ? long.TryParse(value.ToString(), out var id) ? id : -1
            : null;

    private static SseItem<FeedEventDto> ToSseItem(EventEnvelope envelope)
    {
        var manifest = MessageCatalog.Default.ManifestOrName(envelope.Event.GetType());
        var ordering = envelope.Offset is Sequence s ? s.Value : 0;
        return new SseItem<FeedEventDto>(
            new FeedEventDto(ordering, envelope.PersistenceId, envelope.SequenceNr, manifest, EventJson.Of(envelope.Event)),
            manifest)
        {
            EventId = ordering.ToString(),
        };
    }

    /// <summary>Sends the response headers before the first event: a quiet feed must still show the client that
    /// it is connected (the result sets the headers before it starts enumerating).</summary>
    internal static async IAsyncEnumerable<T> OpenedAtOnce<T>(HttpContext context, IAsyncEnumerable<T> source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await context.Response.Body.FlushAsync(ct);
        await foreach (var item in source.WithCancellation(ct))
            yield return item;
    }
}
