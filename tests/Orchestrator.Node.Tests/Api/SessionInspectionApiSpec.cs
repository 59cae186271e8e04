using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>Following sessions over HTTP on a node with a generated tiny model: the session list (newest first,
/// filtered, paged), a session's DAG with its task states, and a session's events and tokens as Server-Sent Events,
/// resumable with <c>Last-Event-ID</c>.</summary>
public sealed class SessionInspectionApiSpec : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-inspect-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var roles = TinyModelNode.ManuscriptReviewRoles;
        _node = await InProcessNode.StartAsync($$"""
            {{TinyModelNode.Config(model, roles)}}
            orchestrator.sessions.max-tokens = 1024
            """);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task Start(string id, string manuscript = "The keeper counted ships.")
    {
        var created = await _node.Http.PostAsJsonAsync("/api/sessions",
            new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = manuscript } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>The session's events to the stream's end (the server ends it after the session's last event).</summary>
    private async Task<List<SseItem<string>>> Events(string id, string? lastEventId = null)
    {
        using var cts = new CancellationTokenSource(Deadline);
        return await _node.Http.ReadEventsAsync($"/api/sessions/{id}/events", cts.Token, lastEventId);
    }

    [Fact]
    public async Task A_sessions_events_and_tokens_stream_until_it_ends_and_resume_after_the_last_event_id()
    {
        await Start("sse-1");
        var items = await Events("sse-1");

        var persisted = items.Where(i => i.EventId is not null).ToList();
        Assert.Equal("session-created.v1", persisted[0].EventType);
        Assert.Equal("session-completed.v1", persisted[^1].EventType);
        var ids = persisted.Select(i => long.Parse(i.EventId!)).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids); // every event, in order, once
        Assert.Contains(persisted, i => i.EventType == "task-succeeded.v1"
            && JsonDocument.Parse(i.Data).RootElement.GetProperty("event").GetProperty("taskId").GetString() == "structure");
        var tokens = items.Where(i => i.EventType == "task-tokens").ToList();
        Assert.NotEmpty(tokens);
        Assert.All(tokens, t => Assert.Null(t.EventId));
        Assert.Equal("sse-1", JsonDocument.Parse(tokens[0].Data).RootElement.GetProperty("sessionId").GetString());

        var resumed = (await Events("sse-1", lastEventId: ids[^3].ToString())).Where(i => i.EventId is not null).ToList();
        Assert.Equal(ids[^2..], resumed.Select(i => long.Parse(i.EventId!)));
        Assert.Empty(await Events("sse-1", lastEventId: ids[^1].ToString())); // resumed after the end: it ends at once
    }

    [Fact]
    public async Task A_session_shows_its_dag_with_the_state_of_every_task()
    {
        await Start("dag-1");
        JsonElement detail = default;
        await AwaitAsync(async () =>
        {
            detail = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions/dag-1");
            return detail.GetProperty("lifecycle").GetString() == "completed";
        });

        var tasks = detail.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(detail.GetProperty("totalTasks").GetInt32(), tasks.Count);
        Assert.All(tasks, t => Assert.Equal("succeeded", t.GetProperty("state").GetString()));
        var recommendations = tasks.Single(t => t.GetProperty("id").GetString() == "recommendations");
        Assert.NotEmpty(recommendations.GetProperty("dependsOn").EnumerateArray());
        Assert.Equal("tiny", recommendations.GetProperty("model").GetString());
        Assert.False(string.IsNullOrEmpty(recommendations.GetProperty("output").GetString()));
        Assert.Equal("The keeper counted ships.", detail.GetProperty("inputs").GetProperty("MANUSCRIPT").GetString());
    }

    [Fact]
    public async Task Sessions_are_listed_newest_first_filtered_and_paged()
    {
        foreach (var id in new[] { "list-1", "list-2", "list-3" })
            await Start(id);
        await _node.Http.PostAsJsonAsync("/api/sessions/list-2/cancel", new { reason = "spec" });

        JsonElement page = default;
        await AwaitAsync(async () =>
        {
            page = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions?limit=2");
            return page.GetProperty("sessions").GetArrayLength() == 2 && page.GetProperty("next").ValueKind == JsonValueKind.String;
        });
        var first = page.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()).ToList();
        Assert.Equal(["list-3", "list-2"], first);
        var second = await _node.Http.GetFromJsonAsync<JsonElement>($"/api/sessions?limit=2&after={Uri.EscapeDataString(page.GetProperty("next").GetString()!)}");
        Assert.Equal("list-1", second.GetProperty("sessions")[0].GetProperty("sessionId").GetString());

        await AwaitAsync(async () =>
        {
            var cancelled = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions?lifecycle=cancelled&template=manuscript-review");
            return cancelled.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()).SequenceEqual(["list-2"]);
        });
        Assert.Empty((await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions?template=docs-generation")).GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task Bad_list_queries_and_unknown_sessions_are_problems()
    {
        var bad = await _node.Http.GetAsync("/api/sessions?lifecycle=sleeping&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var detail = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("sleeping", detail);
        Assert.Contains("limit 0", detail);

        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/sessions/nobody/events")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions/nobody/events");
        request.Headers.Add("Last-Event-ID", "x");
        Assert.Equal(HttpStatusCode.BadRequest, (await _node.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_last_event_id_at_long_MaxValue_is_refused_naming_the_header_not_wrapped_to_the_first_event()
    {
        await Start("sse-max");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions/sse-max/events");
        request.Headers.Add("Last-Event-ID", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _node.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Last-Event-ID", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_session_stream_open_when_the_node_stops_ends_with_a_shutdown_event()
    {
        await Start("sse-stop");
        // Paused, it cannot complete first: its stream stays open until the node stops.
        Assert.True((await _node.Http.PostAsync("/api/sessions/sse-stop/pause", null)).IsSuccessStatusCode);
        using var cts = new CancellationTokenSource(Deadline);
        var items = await _node.Http.ReadEventsAsync("/api/sessions/sse-stop/events", cts.Token, afterFirstEvent: _node.StopAsync);

        Assert.Equal("end", items[^1].EventType);
        Assert.Null(items[^1].EventId);
        Assert.Equal("shutdown", JsonDocument.Parse(items[^1].Data).RootElement.GetProperty("reason").GetString());
        Assert.DoesNotContain(items, i => i.EventType == "session-completed.v1");
    }

    private static Task AwaitAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, Deadline);
}
