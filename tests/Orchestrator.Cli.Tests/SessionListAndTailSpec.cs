using System.Net;
using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch sessions list</c> and <c>orch sessions tail</c> as processes against a scripted node serving the
/// contracts of <c>GET /api/sessions</c> and <c>GET /api/sessions/{id}/events</c>.</summary>
public sealed class SessionListAndTailSpec
{
    private static string Persisted(long seq, string manifest, object e) =>
        $"event: {manifest}\nid: {seq}\ndata: {JsonSerializer.Serialize(new { sessionId = "t-1", sequenceNr = seq, manifest, @event = e })}\n\n";

    private static string Tokens(string task, int index) =>
        $"event: task-tokens\ndata: {JsonSerializer.Serialize(new { sessionId = "t-1", taskId = task, attempt = 1, index, text = "tok" })}\n\n";

    private static string Status(string lifecycle) =>
        JsonSerializer.Serialize(new { sessionId = "t-1", lifecycle, template = "x", iteration = 1, totalTasks = 2, succeeded = 0, failed = 0, inFlight = 0, tokensUsed = 0 });

    [Fact]
    public async Task List_passes_its_filters_and_cursor_and_prints_the_next_cursor()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, """
            {"sessions":[{"sessionId":"s-9","template":"manuscript-review","lifecycle":"completed","createdAt":"2026-11-23T10:00:00Z",
              "updatedAt":"2026-11-23T10:05:00Z","iteration":2,"bestScore":0.875,"endReason":"quality reached"}],"next":"c2"}
            """));

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "sessions", "list", "--status", "completed",
            "--template", "manuscript-review", "--limit", "1", "--after", "c1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("GET /api/sessions?lifecycle=completed&template=manuscript-review&limit=1&after=c1", Assert.Single(node.Requests));
        Assert.Contains("s-9", stdout);
        Assert.Contains("0.88", stdout);
        Assert.Contains("quality reached", stdout);
        Assert.Contains($"orch {node.Address} sessions list --status completed --template manuscript-review --limit 1 --after c2", stdout);

        var (json, document, _) = await OrchProcess.Run(node.Address, "sessions", "list", "--json");
        Assert.Equal(0, json);
        Assert.Equal("c2", JsonDocument.Parse(document).RootElement.GetProperty("next").GetString());
        Assert.Contains("GET /api/sessions", node.Requests);
    }

    [Fact]
    public async Task List_refuses_an_unknown_status_as_a_usage_error()
    {
        var (code, _, stderr) = await OrchProcess.Run("127.0.0.1:1", "sessions", "list", "--status", "sleeping");

        Assert.Equal(2, code);
        Assert.Contains("sleeping", stderr);
    }

    [Fact]
    public async Task Tail_follows_the_session_across_a_dropped_connection_and_exits_0_when_it_completes()
    {
        var streams = 0;
        await using var node = new FakeNode(async c =>
        {
            var path = c.Request.Url!.AbsolutePath;
            if (path == "/api/sessions/t-1")
                await FakeNode.Json(c, Status("running"));
            else if (path == "/api/sessions/t-1/events" && Interlocked.Increment(ref streams) == 1)
                // The first connection breaks after the first task.
                await FakeNode.Events(c, [
                    Persisted(2, "plan-accepted.v1", new { tasks = new[] { new { id = "a" }, new { id = "b" } } }),
                    Persisted(3, "task-dispatched.v1", new { taskId = "a", attempt = 1, model = "tiny" }),
                    Tokens("a", 0), Tokens("a", 1),
                    Persisted(4, "task-succeeded.v1", new { taskId = "a", attempt = 1, tokens = 2 }),
                ]);
            else if (path == "/api/sessions/t-1/events")
                await FakeNode.Events(c, [
                    Persisted(5, "task-dispatched.v1", new { taskId = "b", attempt = 1, model = "tiny" }),
                    Persisted(6, "task-succeeded.v1", new { taskId = "b", attempt = 1, tokens = 5 }),
                    Persisted(7, "iteration-completed.v1", new { metrics = new { iteration = 1, score = 0.9 } }),
                    Persisted(8, "session-completed.v1", new { finalScore = 0.9, reason = "quality reached" }),
                ]);
            else
                await FakeNode.Json(c, """{"title":"Not found","detail":"no"}""", 404);
        });

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "sessions", "tail", "t-1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("a succeeded (2 tokens) [1/2]", stdout);
        Assert.Contains("b succeeded (5 tokens) [2/2]", stdout);
        Assert.Contains("iteration 1 completed, score 0.90", stdout);
        Assert.Contains("Session t-1 completed: 2/2 tasks, iteration 1, best score 0.90 (quality reached)", stdout);
        Assert.Contains("GET /api/sessions/t-1/events [Last-Event-ID: 4]", node.Requests);
        Assert.DoesNotContain("\u001b[", stdout);
    }

    [Fact]
    public async Task Tail_exits_1_when_the_session_fails_and_json_prints_each_event()
    {
        await using var node = new FakeNode(async c =>
        {
            if (c.Request.Url!.AbsolutePath == "/api/sessions/t-1")
                await FakeNode.Json(c, Status("running"));
            else
                await FakeNode.Events(c, [
                    Persisted(3, "task-dispatched.v1", new { taskId = "a", attempt = 1, model = "tiny" }),
                    Persisted(4, "task-failed.v1", new { taskId = "a", attempt = 1, reason = "no JSON", retryable = false }),
                    Persisted(5, "session-failed.v1", new { reason = "task a failed for good" }),
                ]);
        });

        var (code, stdout, _) = await OrchProcess.Run(node.Address, "sessions", "tail", "t-1");
        Assert.Equal(1, code);
        Assert.Contains("session failed: task a failed for good", stdout);

        var (jsonCode, json, _) = await OrchProcess.Run(node.Address, "sessions", "tail", "t-1", "--json");
        Assert.Equal(1, jsonCode);
        var lines = json.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([3L, 4L, 5L], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequenceNr").GetInt64()));
    }

    private static string End(string reason) =>
        $"event: end\ndata: {JsonSerializer.Serialize(new { reason, message = "The node says why." })}\n\n";

    /// <summary>A node that sends one event and then the end event for <paramref name="reason"/>; a second connection to
    /// its stream is refused, as a stopped node's would be.</summary>
    private static FakeNode EndingNode(string reason)
    {
        var streams = 0;
        return new FakeNode(async c =>
        {
            if (c.Request.Url!.AbsolutePath == "/api/sessions/t-1")
                await FakeNode.Json(c, Status("running"));
            else if (Interlocked.Increment(ref streams) == 1)
                await FakeNode.Events(c, [Persisted(3, "task-dispatched.v1", new { taskId = "a", attempt = 1, model = "tiny" }), End(reason)]);
            else
                await FakeNode.Json(c, """{"title":"Service Unavailable","detail":"stopping"}""", 503);
        });
    }

    [Fact]
    public async Task Tail_says_the_node_is_shutting_down_in_one_line_and_exits_3_when_the_stream_ends_so()
    {
        await using var node = EndingNode("shutdown");

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "sessions", "tail", "t-1");

        Assert.True(code == 3, $"exit {code}\n{stdout}{stderr}");
        Assert.Single(stdout.Split('\n'), l => l == "Stopped following: the node is shutting down. The session goes on; tail it again once the node is back.");
        Assert.Equal("", stderr);
        Assert.Single(node.Requests, r => r.StartsWith("GET /api/sessions/t-1/events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tail_says_the_database_failed_and_exits_1_when_the_stream_ends_with_an_outage()
    {
        await using var node = EndingNode("outage");

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "sessions", "tail", "t-1");
        Assert.True(code == 1, $"exit {code}\n{stdout}{stderr}");
        Assert.Contains("Stopped following: the node's journal database failed.", stdout);

        await using var again = EndingNode("outage");
        var (jsonCode, json, _) = await OrchProcess.Run(again.Address, "sessions", "tail", "t-1", "--json");
        Assert.Equal(1, jsonCode);
        var last = JsonDocument.Parse(json.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("outage", last.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Tail_of_a_finished_session_shows_its_real_counts()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, JsonSerializer.Serialize(new
        {
            sessionId = "t-1",
            lifecycle = "completed",
            template = "x",
            iteration = 2,
            totalTasks = 7,
            succeeded = 6,
            failed = 0,
            skipped = 1,
            inFlight = 0,
            tokensUsed = 900,
            bestScore = 0.9,
            endReason = "quality reached",
        })));

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "sessions", "tail", "t-1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Session t-1 completed: 7/7 tasks, iteration 2, best score 0.90 (quality reached)", stdout);
    }

    [Fact]
    public async Task Tail_of_an_unknown_session_exits_1()
    {
        await using var node = new FakeNode(c =>
            FakeNode.Json(c, """{"title":"Not found","status":404,"detail":"No session 'ghost'."}""", (int)HttpStatusCode.NotFound));

        var (code, _, stderr) = await OrchProcess.Run(node.Address, "sessions", "tail", "ghost");

        Assert.Equal(1, code);
        Assert.Contains("ghost", stderr);
    }
}
