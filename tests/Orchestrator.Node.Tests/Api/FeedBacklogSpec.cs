using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Api;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>Many followers of <c>GET /api/events</c> that read nothing: each holds a bounded number of events in the node
/// (its buffer and its queue), the journal keeps the rest.</summary>
public sealed class FeedBacklogSpec : IAsyncLifetime
{
    private const int Events = 400;
    private const int Followers = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Followers_that_read_nothing_hold_no_more_than_their_buffer()
    {
        // 400 events of 64 KiB: 25 MB a follower, more than loopback's socket buffers take, so each stream stalls.
        var probe = _node.Services.GetRequiredService<ActorSystem>().ActorOf(JournalProbe.Props("backlog-spec"));
        var payload = new string('x', 64 * 1024);
        for (var from = 1; from <= Events; from += 50)
            await probe.Ask<ProbeCommands.Written>(new ProbeCommands.Write(from, 50, true, payload), Timeout);

        var backlog = _node.Services.GetRequiredService<FeedBacklog>();
        var buffer = _node.Services.GetRequiredService<NodeSettings>().Api.FeedBuffer;
        using var cts = new CancellationTokenSource(Timeout);
        var responses = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < Followers; i++)
                responses.Add(await _node.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cts.Token));

            // Every stream stalls with its buffer full: the node then holds at least that much for each.
            await Eventually.HoldsAsync(() => Task.FromResult(backlog.Held >= Followers * buffer), Timeout,
                () => $"the streams held {backlog.Held} events, not {Followers * buffer}");

            Assert.InRange(backlog.MostHeldByOneStream, buffer, buffer + FeedBacklog.StreamQueue);
            // With the node's defaults that is about 2 MiB of these events a follower (with 256 buffered, 17 MiB).
            Assert.InRange(backlog.MostHeldByOneStream * payload.Length, 0, 4 * 1024 * 1024);
            Assert.True(backlog.Read < Followers * Events, $"the followers read {backlog.Read} events: the whole journal each");
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }
}
