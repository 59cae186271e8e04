using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Engine.Streams;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Persistence;
using Orchestrator.Testing;
using static Orchestrator.Core.Sessions.SessionLiveMessages;

namespace Orchestrator.Node.Tests.Api;

/// <summary>Two whole nodes in the test process, one cluster over one PostgreSQL journal: a client of the second node's
/// <c>GET /api/sessions/{id}/events</c> gets the token chunks the first node generates for the session, as
/// <c>task-tokens</c> events, beside the session's persisted events.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSessionFeedSpec(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private InProcessNode _first = null!;
    private InProcessNode _second = null!;

    private string Hocon() => $"""
        {postgres.DatabaseFor(GetType()).PostgreSqlHocon}
        orchestrator.sessions.templates-path = {HoconText.Quote(Path.Combine(RepositoryRoot.Path, "config", "workflows"))}
        akka.cluster.pub-sub.gossip-interval = 200ms
        """;

    public async Task InitializeAsync()
    {
        _first = await InProcessNode.StartAsync(Hocon());
        _second = await InProcessNode.JoiningAsync(_first, Hocon());
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task A_client_of_one_node_sees_the_tokens_another_node_generates_for_the_session()
    {
        const string id = "tokens-elsewhere";
        var created = await _first.Http.PostAsJsonAsync("/api/sessions",
            new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Once." } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await _first.Http.PostAsync($"/api/sessions/{id}/pause", null);

        using var cts = new CancellationTokenSource(2 * Deadline);
        using var response = await _second.Http.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var items = new ConcurrentQueue<SseItem<string>>();
        var reading = Task.Run(async () =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cts.Token))
                items.Enqueue(item);
        }, cts.Token);

        // The first node generates chunks as its task workers do: to its own feed, and to the session's cluster topic. The
        // second node's subscription reaches the first with the pub-sub's next gossip; chunks before it are not seen there.
        var system = _first.Services.GetRequiredService<ActorSystem>();
        var feed = _first.Services.GetRequiredService<LiveFeed<SessionLiveEvent>>();
        var topics = SessionTokenTopics.For(system)!;
        var worker = system.ActorOf(Props.Empty, "worker-of-the-spec");
        var index = 0;
        await Eventually.HoldsAsync(() =>
        {
            var tokens = new TaskTokens(id, "review", 1, index++, "chunk ✓");
            feed.Publish(new SessionLiveEvent(id, null, tokens));
            topics.Publish(tokens, worker);
            if (reading.IsCompleted)
                throw new InvalidOperationException($"The second node's stream ended ({reading.Status}) after: "
                    + string.Join(", ", items.Select(i => i.EventType)), reading.Exception);
            return Task.FromResult(items.Any(i => i.EventType == "task-tokens"));
        }, Deadline, () => $"no task-tokens on the second node; it sent: {string.Join(", ", items.Select(i => i.EventType).Distinct())}");

        var chunk = JsonDocument.Parse(items.First(i => i.EventType == "task-tokens").Data).RootElement;
        Assert.Equal(id, chunk.GetProperty("sessionId").GetString());
        Assert.Equal("review", chunk.GetProperty("taskId").GetString());
        Assert.Equal("chunk ✓", chunk.GetProperty("text").GetString());
        // The session's persisted events come on the same stream, from the shared journal.
        await Eventually.HoldsAsync(() => Task.FromResult(items.Any(i => i.EventType == "session-created.v1")), Deadline,
            () => $"no session-created.v1 on the second node; it sent: {string.Join(", ", items.Select(i => i.EventType).Distinct())}");
        await cts.CancelAsync();
    }
}
