using System.Net.ServerSentEvents;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Testing;

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
        using var cts = new CancellationTokenSource(Timeout);
        return await _node.Http.ReadEventsAsync("/api/events", cts.Token, lastEventId, count, whileOpen);
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

    /// <summary>Opens the feed, runs <paramref name="afterFirstEvent"/> once the first event arrived (the stream is running),
    /// and reads to the stream's end.</summary>
    private async Task<List<SseItem<string>>> ReadToTheEnd(Func<Task> afterFirstEvent)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var items = await _node.Http.ReadEventsAsync("/api/events", cts.Token, afterFirstEvent: afterFirstEvent);
        Assert.NotEmpty(items); // so the action ran
        return items;
    }

    private static JsonElement EndOf(List<SseItem<string>> items)
    {
        Assert.NotEmpty(items);
        Assert.Equal("end", items[^1].EventType);
        Assert.Null(items[^1].EventId);
        return JsonDocument.Parse(items[^1].Data).RootElement;
    }

    [Fact]
    public async Task A_stream_open_when_the_node_stops_ends_with_a_shutdown_event()
    {
        await Write(1, tagged: true);

        var items = await ReadToTheEnd(_node.StopAsync);

        var end = EndOf(items);
        Assert.Equal("shutdown", end.GetProperty("reason").GetString());
        Assert.Contains("Last-Event-ID", end.GetProperty("message").GetString());
        Assert.Equal(1L, Number(items[0]));
        Assert.True(_node.Logs.Entries.All(e => e.Level < LogLevel.Error), _node.Logs.Describe(LogLevel.Error));
    }

    [Fact]
    public async Task A_stream_whose_journal_query_fails_ends_with_an_outage_event_and_one_warning()
    {
        await Write(1, tagged: true);

        var items = await ReadToTheEnd(async () =>
        {
            // The feed reads the tags table: without it, the feed's next query fails as it does when the database is out.
            await using (var db = new SqliteConnection($"Data Source={_node.DatabasePath};Pooling=False"))
            {
                await db.OpenAsync();
                await using var rename = db.CreateCommand();
                rename.CommandText = "ALTER TABLE tags RENAME TO tags_gone";
                await rename.ExecuteNonQueryAsync();
            }
            await Write(2, tagged: false); // a new journal row, so the feed queries again
        });

        var end = EndOf(items);
        Assert.Equal("outage", end.GetProperty("reason").GetString());
        var message = end.GetProperty("message").GetString()!;
        Assert.DoesNotContain(_node.DatabasePath, message);
        Assert.DoesNotContain("tags", message);
        Assert.DoesNotContain("SQLite", message, StringComparison.OrdinalIgnoreCase);
        var warnings = _node.Logs.Entries.Where(e => e is { Level: LogLevel.Warning } && e.Category.EndsWith("StreamEnding")).ToList();
        Assert.Single(warnings);
        Assert.Contains("events", warnings[0].Message);
        Assert.True(_node.Logs.Entries.All(e => e.Level < LogLevel.Error), _node.Logs.Describe(LogLevel.Error));
    }

    [Fact]
    public async Task A_client_that_leaves_ends_its_stream_quietly()
    {
        await Write(1, tagged: true);
        Assert.Single(await Read(1)); // then it closes the connection

        await Write(2, tagged: true);
        await _node.StopAsync(); // it waits for every request, the left stream's too

        Assert.True(_node.Logs.Entries.All(e => e.Level < LogLevel.Warning), _node.Logs.Describe(LogLevel.Warning));
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("-1")]
    [InlineData("+5")]
    public async Task A_last_event_id_that_is_not_an_id_the_feed_sent_is_a_problem_naming_the_header(string lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);

        using var response = await _node.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Last-Event-ID", await response.Content.ReadAsStringAsync());
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
