using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A node that cannot join its cluster (its only seed does not run) answers what needs the cluster with a 503
/// and the reason at once, instead of hanging, and past <c>ready-timeout</c> says it is overdue.</summary>
public sealed class NotReadyApiSpec : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _seed = $"akka.tcp://orchestrator@127.0.0.1:{FreePort.Next()}";
    private InProcessNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await InProcessNode.StartAsync($$"""
            orchestrator.node.seed-nodes = ["{{_seed}}"]
            orchestrator.node.ready-timeout = 1s
            """, waitUntilReady: false);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Starting_a_session_answers_503_with_the_reason_naming_the_seeds()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var response = await _node.Http.PostAsJsonAsync("/api/sessions", new { template = "manuscript-review" }, timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("orchestrator.node.seed-nodes", detail);
        Assert.Contains(_seed, detail);
    }

    [Fact]
    public async Task Past_the_ready_timeout_every_not_ready_answer_says_so()
    {
        string? detail = null;
        await Eventually.HoldsAsync(async () =>
        {
            var response = await _node.Http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            return detail!.StartsWith("not ready after 1 s (orchestrator.node.ready-timeout)", StringComparison.Ordinal);
        }, Patience, () => $"the readiness never said it was overdue: {detail}");

        Assert.StartsWith("not ready after 1 s (orchestrator.node.ready-timeout): waiting for cluster member", detail);
        var events = await _node.Http.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, events.StatusCode);
    }

    [Fact]
    public async Task What_needs_neither_the_cluster_nor_the_journal_still_answers()
    {
        Assert.Equal(HttpStatusCode.OK, (await _node.Http.GetAsync("/api/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _node.Http.GetAsync("/api/templates")).StatusCode);
    }
}
