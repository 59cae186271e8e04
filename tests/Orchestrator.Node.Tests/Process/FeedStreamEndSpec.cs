using System.Net.ServerSentEvents;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>An SSE stream open on a real node process ends with an <c>end</c> event saying why, then the connection
/// closes, and the node's log holds no unhandled exception: on SIGTERM (<c>shutdown</c>) and when its PostgreSQL stops
/// (<c>outage</c>, one warning).</summary>
public sealed class FeedStreamEndSpec : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-feed-end-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Opens <paramref name="path"/>, runs <paramref name="whileOpen"/> once its headers came, and reads to its end.</summary>
    private static async Task<List<SseItem<string>>> ReadToTheEndAsync(NodeProcess node, string path, Func<Task> whileOpen)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}"), Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(Deadline);
        return await http.ReadEventsAsync(path, cts.Token, whileOpen: whileOpen);
    }

    private static string EndReason(List<SseItem<string>> items, NodeProcess node)
    {
        Assert.True(items.Count > 0 && items[^1].EventType == "end",
            $"the stream ended after [{string.Join(", ", items.Select(i => i.EventType))}]:\n{node.Transcript}");
        return JsonDocument.Parse(items[^1].Data).RootElement.GetProperty("reason").GetString()!;
    }

    [Fact]
    public async Task SIGTERM_ends_an_open_feed_with_a_shutdown_event_and_the_node_exits_0_logging_no_exception()
    {
        await using var node = NodeProcess.Start(_dir, new Dictionary<string, string> { ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "node.db") });
        await node.WaitUntilReadyAsync(Startup);

        var items = await ReadToTheEndAsync(node, "/api/events", () =>
        {
            node.Terminate();
            return Task.CompletedTask;
        });

        Assert.Equal("shutdown", EndReason(items, node));
        Assert.Equal(0, await node.WaitForExitAsync(Deadline));
        Assert.DoesNotContain("Exception", node.Transcript);
    }

    [Fact]
    public async Task Stopped_postgresql_ends_an_open_feed_with_an_outage_event_and_one_warning()
    {
        await using var server = await PostgresServer.StartAsync();
        var connection = await server.CreateDatabaseAsync("feed_end") + ";Timeout=3;Command Timeout=5";
        await using var node = NodeProcess.Start(_dir, new Dictionary<string, string>
        {
            ["ORCH_PERSISTENCE_PROVIDER"] = "postgresql",
            ["ORCH_POSTGRES_CONNECTION"] = connection,
        });
        await node.WaitUntilReadyAsync(Startup);

        var items = await ReadToTheEndAsync(node, "/api/events", server.StopAsync);

        Assert.Equal("outage", EndReason(items, node));
        var message = JsonDocument.Parse(items[^1].Data).RootElement.GetProperty("message").GetString()!;
        Assert.DoesNotContain(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        Assert.DoesNotContain("Npgsql", message);
        Assert.Single(node.Output, l => l.Contains("stream ended with an outage event"));
        Assert.DoesNotContain("unhandled", node.Transcript, StringComparison.OrdinalIgnoreCase);
    }
}
