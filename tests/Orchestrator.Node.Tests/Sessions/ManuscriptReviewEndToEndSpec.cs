using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Streams;
using Orchestrator.Llama.Gguf;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Api;
using Orchestrator.Testing;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>The whole product on one node: the shipped manuscript-review template, run by the session shard region on
/// a generated tiny llama model (random weights, replies held to each node's schema by grammar), journaled in SQLite.</summary>
public sealed class ManuscriptReviewEndToEndSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Manuscript_review_runs_to_the_end_on_a_tiny_model()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var roles = TinyModelNode.ManuscriptReviewRoles;
        await using var node = await InProcessNode.StartAsync($$"""
            {{TinyModelNode.Config(model, roles)}}
            orchestrator.sessions.max-tokens = 1024
            """);
        var client = node.Services.GetRequiredService<OrchestratorClient>();
        var system = node.Services.GetRequiredService<ActorSystem>();
        var ended = client.Events("review-1")
            .Where(i => i is FeedItem<SessionLiveEvent>.Event { Value.Event: SessionEvents.SessionCompleted or SessionEvents.SessionFailed })
            .RunWith(Sink.First<FeedItem<SessionLiveEvent>>(), system.Materializer());

        var started = await client.StartAsync("review-1", "manuscript-review",
            new Dictionary<string, string> { ["MANUSCRIPT"] = "Chapter one. The lighthouse keeper counted ships." });
        started.OrThrow();

        await ended.WaitAsync(TimeSpan.FromMinutes(4));
        var status = (await client.StatusAsync("review-1")).OrThrow();
        Assert.True(status.Lifecycle == SessionLifecycle.Completed, $"session ended as {status.Lifecycle}: {status.EndReason}");
        Assert.True(status.Succeeded >= 7, $"{status.Succeeded} tasks succeeded");
        Assert.True(status.TokensUsed > 0);
    }
}
