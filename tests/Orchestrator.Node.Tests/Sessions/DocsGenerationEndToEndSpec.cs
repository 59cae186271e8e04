using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Streams;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Api;
using Orchestrator.Testing;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Core.Sessions.SessionReplies;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>The shipped docs-generation template on one node and a generated tiny model: the planner's task list
/// (held to the protocol's task_list shape by grammar) expands the per-task writer node, and the session runs the
/// proposed parts, the aggregation and the verification to the end. The session is seeded, so the random-weight
/// model's dice are the same on every run: unseeded, a writer reports its own part as <c>failed</c> in a third of its
/// attempts, and a few such parts fail the session now and then.</summary>
public sealed class DocsGenerationEndToEndSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-e2e-docs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Docs_generation_expands_the_planners_task_list_and_runs_to_the_end_on_a_tiny_model()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var roles = new[] { "planner", "technical-writer", "editor", "reviewer" };
        await using var node = await InProcessNode.StartAsync($$"""
            {{TinyModelNode.Config(model, roles)}}
            orchestrator.sessions.max-tokens = 1024
            orchestrator.sessions.seed = 7
            """);
        var client = node.Services.GetRequiredService<OrchestratorClient>();
        var system = node.Services.GetRequiredService<ActorSystem>();
        var events = client.Events("docs-1")
            .Select(i => i is FeedItem<SessionLiveEvent>.Event e ? e.Value.Event : null)
            .Where(e => e is not null and not TaskTokens)
            .TakeWhile(e => e is not (SessionEvents.SessionCompleted or SessionEvents.SessionFailed), inclusive: true)
            .RunWith(Sink.Seq<object?>(), system.Materializer());

        var started = await client.StartAsync("docs-1", "docs-generation", new Dictionary<string, string>
        {
            ["PROJECT_NAME"] = "lighthouse",
            ["PROJECT_DESCRIPTION"] = "A library that counts ships: a parser module, a counter module and a CLI.",
        });
        started.OrThrow();

        var seen = await events.WaitAsync(TimeSpan.FromMinutes(5));
        var status = (await client.StatusAsync("docs-1")).OrThrow();
        Assert.True(status.Lifecycle == SessionLifecycle.Completed, $"session ended as {status.Lifecycle}: {status.EndReason}");

        var expansion = Assert.Single(seen.OfType<SessionEvents.PlanAccepted>(), p => p.ExpandedFrom == "write");
        Assert.NotEmpty(expansion.Tasks);
        var written = seen.OfType<SessionEvents.TaskSucceeded>().Select(s => s.TaskId).ToHashSet();
        Assert.All(expansion.Tasks, t => Assert.Contains(t.Id, written));
        Assert.Contains("analysis", written);
        Assert.Contains("aggregation", written);
        Assert.Contains("verification", written);
        Assert.Equal(4 + expansion.Tasks.Count, status.TotalTasks); // the template's four nodes (the prototype included) and its instances
    }
}
