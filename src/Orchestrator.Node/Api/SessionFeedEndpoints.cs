using System.Net.ServerSentEvents;
using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;
using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Persistence;
using Orchestrator.Engine.Streams;
using Orchestrator.Node.Api.Mapping;
using Orchestrator.Node.Configuration;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Api;

/// <summary>One session's events and tokens as Server-Sent Events. Persisted events come from the journal by the
/// session's persistence id (so a session on any node is followed), each with its sequence number as the event id: a
/// client that reconnects with <c>Last-Event-ID</c> (or <c>?after=N</c>) resumes exactly after the last one it saw.
/// Token chunks come live from whichever node runs the session (<c>task-tokens</c>, no id; a client that reads too slowly
/// gets <c>dropped</c> with how many it missed). The stream ends after the session's completed, failed or cancelled event,
/// or, when the node stops or its database fails first, with an <c>end</c> event saying why (<see cref="StreamEnding"/>).</summary>
public static class SessionFeedEndpoints
{
    /// <summary>The SSE event type of token chunks.</summary>
    public const string TokensEvent = TaskTokensDto.EventType;

    /// <summary>The SSE event type that says how many token chunks a slow client missed.</summary>
    public const string DroppedEvent = DroppedDto.EventType;

    /// <summary>Token chunks a slow client may miss before it is told how many (<c>dropped</c>).</summary>
    private const int TokenBuffer = 256;

    /// <summary>Maps <c>GET /api/sessions/{id}/events</c>.</summary>
    public static void MapSessionFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sessions/{id}/events", async (string id, HttpRequest request, long? after, ActorSystem system,
            OrchestratorClient client, StreamEnding ending, FeedBacklog backlog, NodeSettings settings, CancellationToken ct) =>
        {
            if (!ResumePoint.TryRead(request, after, "a sequence number", out var resumeAfter, out var problem))
                return Problems.BadRequest(problem!);
            var status = await client.StatusAsync(id, ct);
            if (status.Value is not { } current)
                return Problems.NotFound($"No session '{id}'.");
            // A finished session has all its events written: the stream is what the journal holds, then it ends (even
            // when the client resumes after the last one).
            var finished = current.Lifecycle.IsFinished();

            // Tokens are subscribed to first, so none produced while the journal is read is missed.
            var tokens = client.Events(id, TokenBuffer)
                .Where(i => i is FeedItem<SessionLiveEvent>.Dropped or FeedItem<SessionLiveEvent>.Event { Value.Event: TaskTokens })
                .Select(ToSseItem);
            var journal = ReadJournals.For<SqlReadJournal>(system);
            var from = (resumeAfter ?? 0) + 1;
            var events = (finished
                    ? journal.CurrentEventsByPersistenceId(SessionId.PersistenceIdOf(id), from, long.MaxValue)
                    : journal.EventsByPersistenceId(SessionId.PersistenceIdOf(id), from, long.MaxValue))
                .TakeWhile(e => !SessionEnds.IsEnd(e.Event), inclusive: true)
                .Select(e => ToSseItem(id, e));
            var stream = backlog.Run(events.Merge(tokens, eagerComplete: true), settings.Api.FeedBuffer, system);
            return TypedResults.ServerSentEvents(ending.RunAsync($"session {id} events", request.HttpContext, stream, ct));
        }).Produces<SessionEventDto>(StatusCodes.Status200OK, "text/event-stream");
    }

    private static SseItem<object> ToSseItem(string sessionId, EventEnvelope envelope)
    {
        var manifest = MessageCatalog.Default.ManifestOrName(envelope.Event.GetType());
        return new SseItem<object>(new SessionEventDto(sessionId,
            envelope.SequenceNr, manifest, EventJson.Of(envelope.Event)), manifest)
        {
            EventId = envelope.SequenceNr.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static SseItem<object> ToSseItem(FeedItem<SessionLiveEvent> item) => item switch
    {
        FeedItem<SessionLiveEvent>.Event { Value.Event: TaskTokens t } => new SseItem<object>(t.ToDto(), TokensEvent),
        FeedItem<SessionLiveEvent>.Dropped d => new SseItem<object>(new DroppedDto(d.Count), DroppedEvent),
        _ => throw new ArgumentException($"not a token item: {item}", nameof(item)),
    };
}
