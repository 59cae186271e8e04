using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Orchestrator.Api.Contracts;

namespace Orchestrator.Node.Api;

/// <summary>Runs a feed's Server-Sent Event stream to its end, whatever ends it. When the node stops, the stream's last
/// event is <c>end</c> with reason <c>shutdown</c>; when the journal query behind it fails (the database is out), it is
/// <c>end</c> with reason <c>outage</c> and the failure is logged once as a warning; a client that leaves ends it
/// quietly. Nothing reaches the server as an unhandled exception.</summary>
internal sealed class StreamEnding(IHostApplicationLifetime lifetime, ActorSystem system, ILogger<StreamEnding> logger)
{
    /// <summary>The last event of a stream the node's shutdown ended.</summary>
    public static readonly StreamEndDto ShutdownEnd = new(StreamEndDto.Shutdown,
        "The node is shutting down. Reconnect with Last-Event-ID once it, or another node, is ready.");

    /// <summary>The last event of a stream whose journal query failed. It says nothing of the error itself (paths,
    /// drivers): that goes to the node's log.</summary>
    public static readonly StreamEndDto OutageEnd = new(StreamEndDto.Outage,
        "The node's journal database failed while this stream read it. Reconnect with Last-Event-ID once the node is ready again (GET /health/ready).");

    /// <summary>The items of <paramref name="source"/>, the response headers sent first (a quiet feed still shows the
    /// client it is connected), then an <c>end</c> event when the node or the database ended the stream.
    /// <paramref name="source"/> must end when the token it is enumerated with is cancelled (an Akka stream run with
    /// <c>RunAsAsyncEnumerable</c> completes gracefully). <paramref name="feed"/> names the stream in the log.</summary>
    public async IAsyncEnumerable<SseItem<object>> RunAsync(string feed, HttpContext context, IAsyncEnumerable<SseItem<object>> source,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (!await SendHeadersAsync(context, ct)) yield break;
        using var leftOrStopping = CancellationTokenSource.CreateLinkedTokenSource(ct, context.RequestAborted, lifetime.ApplicationStopping);
        if (Open(source, leftOrStopping.Token) is not { } items)
        {
            if (!ClientLeft(context, ct)) yield return new SseItem<object>(ShutdownEnd, StreamEndDto.EventType);
            yield break;
        }
        try
        {
            while (true)
            {
                var (next, end) = await NextAsync(feed, context, items, ct);
                if (end is not null)
                {
                    yield return new SseItem<object>(end, StreamEndDto.EventType);
                    yield break;
                }
                if (!next) yield break;
                yield return items.Current;
            }
        }
        finally
        {
            await DisposeQuietlyAsync(feed, items);
        }
    }

    /// <summary>Whether <paramref name="items"/> has a next item, or the <c>end</c> event to send instead.</summary>
    private async Task<(bool Next, StreamEndDto? End)> NextAsync(string feed, HttpContext context, IAsyncEnumerator<SseItem<object>> items,
        CancellationToken ct)
    {
        try
        {
            if (await items.MoveNextAsync()) return (true, null);
        }
        catch (Exception) when (ClientLeft(context, ct))
        {
            return (false, null);
        }
        catch (Exception) when (Stopping)
        {
            // The actor system going down fails the stream (an abrupt termination, a detached stream): that is the shutdown.
            return (false, ShutdownEnd);
        }
        catch (Exception e)
        {
            logger.LogWarning("The {Feed} stream ended with an outage event: its journal query failed ({ErrorType}: {Error})",
                feed, e.GetType().Name, e.Message);
            return (false, OutageEnd);
        }
        // The source ended: at its natural end (a session's last event), because the client left, or because the node stops.
        return (false, !ClientLeft(context, ct) && Stopping ? ShutdownEnd : null);
    }

    private bool Stopping =>
        lifetime.ApplicationStopping.IsCancellationRequested || system.WhenTerminated.IsCompleted
        || CoordinatedShutdown.Get(system).ShutdownReason is not null;

    private static bool ClientLeft(HttpContext context, CancellationToken ct) =>
        ct.IsCancellationRequested || context.RequestAborted.IsCancellationRequested;

    /// <summary>The source's enumerator, or null when the token was cancelled before it started.</summary>
    private static IAsyncEnumerator<SseItem<object>>? Open(IAsyncEnumerable<SseItem<object>> source, CancellationToken token)
    {
        try
        {
            return source.GetAsyncEnumerator(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<bool> SendHeadersAsync(HttpContext context, CancellationToken ct)
    {
        try
        {
            await context.Response.Body.FlushAsync(ct);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private async Task DisposeQuietlyAsync(string feed, IAsyncEnumerator<SseItem<object>> items)
    {
        try
        {
            await items.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.LogDebug("The {Feed} stream's source failed as it was stopped ({ErrorType}: {Error})", feed, e.GetType().Name, e.Message);
        }
    }
}
