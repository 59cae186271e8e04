using System.Net.ServerSentEvents;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;

namespace Orchestrator.Node.Tests.Api;

public sealed class FeedApiSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private InProcessNode _node = null!;
    private IActorRef _probe = null!;

    public async Task InitializeAsync()
    {
        _node = await InProcessNode.StartAsync();
        _probe = _node.Services.GetRequiredService<ActorSystem>().ActorOf(JournalProbe.Props("feed-spec"));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task Write(long number, bool tagged) =>
        await _probe.Ask<ProbeCommands.Written>(new ProbeCommands.Write(number, 1, tagged, $"e{number}"), Timeout);

    private async Task<List<SseItem<string>>> Read(int count, string? lastEventId = null, Func<Task>? whileOpen = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var cts = new CancellationTokenSource(Timeout);
        using var response = await _node.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var items = new List<SseItem<string>>();
        var writes = whileOpen?.Invoke();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cts.Token))
        {
            items.Add(item);
            if (items.Count == count) break;
        }
        if (writes is not null) await writes;
        return items;
    }

    private static long Number(SseItem<string> item) =>
        JsonDocument.Parse(item.Data).RootElement.GetProperty("event").GetProperty("number").GetInt64();

    [Fact]
    public async Task Feed_carries_tagged_events_only_and_resumes_after_the_last_event_id()
    {
        await Write(1, tagged: true);
        await Write(2, tagged: false);
        await Write(3, tagged: true);
        await Write(4, tagged: true);

        var all = await Read(3);
        Assert.Equal([1L, 3L, 4L], all.Select(Number));
        Assert.All(all, i => Assert.Equal("probe-feed-written.v1", i.EventType));

        var resumed = await Read(1, lastEventId: all[1].EventId);
        Assert.Equal(4L, Number(resumed[0]));
        Assert.Equal(all[2].EventId, resumed[0].EventId);
    }

    [Fact]
    public async Task Feed_is_live()
    {
        var items = await Read(2, whileOpen: async () =>
        {
            await Write(10, tagged: true);
            await Write(11, tagged: true);
        });

        Assert.Equal([10L, 11L], items.Select(Number));
    }

    [Fact]
    public async Task Bad_last_event_id_is_a_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Last-Event-ID", "not-a-number");

        using var response = await _node.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
