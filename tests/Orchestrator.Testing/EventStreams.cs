using System.Net.ServerSentEvents;

namespace Orchestrator.Testing;

/// <summary>Reads one of the node's server-sent event streams (<c>/api/events</c>, <c>/api/sessions/{id}/events</c>) as a
/// client does: with <c>Last-Event-ID</c> when resuming, to the stream's end or to a number of events.</summary>
public static class EventStreams
{
    /// <summary>Opens <paramref name="path"/> (resuming after <paramref name="lastEventId"/> when given), checks that it
    /// answers an event stream, and reads its events until it ends or <paramref name="count"/> have come.
    /// <paramref name="whileOpen"/> starts once the headers came; <paramref name="afterFirstEvent"/> once the first event
    /// came (the stream runs); both are awaited before the events are returned.</summary>
    public static async Task<List<SseItem<string>>> ReadEventsAsync(this HttpClient http, string path, CancellationToken cancel,
        string? lastEventId = null, int? count = null, Func<Task>? whileOpen = null, Func<Task>? afterFirstEvent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            throw new InvalidOperationException(
                $"{path} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}, not an event stream: {await response.Content.ReadAsStringAsync(cancel)}");
        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        var action = whileOpen is null ? null : Task.Run(whileOpen, cancel);
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancel))
        {
            items.Add(item);
            if (afterFirstEvent is not null) action ??= Task.Run(afterFirstEvent, cancel);
            if (items.Count == count) break;
        }
        if (action is not null) await action.WaitAsync(cancel);
        return items;
    }
}
