using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Streams;
using Orchestrator.Llama.Gguf;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Api;
using Orchestrator.Testing;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>The shipped docs-generation template on one node and a generated tiny model: the planner's task list
/// (held to the protocol's task_list shape by grammar) expands the per-task writer node, and the session runs the
/// proposed parts, the aggregation and the verification to the end. Unseeded: the random-weight model's dice differ on
/// every run. Two of its rolls are the model's own verdicts, and the spec holds on both:
/// <list type="bullet">
/// <item>The grammar holds a task list to its shape, not its sense: a list whose ids repeat or whose dependencies name
/// no proposed task is refused (as the session would refuse any planner's), and a planner refused on all four
/// attempts fails its session before anything expands. That session is set aside and another started, up to
/// <see cref="Sessions"/>; every refusal must have been of a reply the node read (its raw text kept), never a timeout.</item>
/// <item>The completion grammar lets a writer report its part as <c>failed</c> (a third of its attempts here), and a
/// part that does so on every attempt fails the session, as the template says.</item>
/// </list>
/// So for the first session whose plan expanded: either every part was written, aggregated and verified and the session
/// completed, or it failed naming parts whose every attempt the model reported as failed, and nothing else failed (no
/// reply unread, no timeout, no expansion missing). It used to pin seed 7, whose rolls complete.</summary>
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
            """);
        var client = node.Services.GetRequiredService<OrchestratorClient>();
        var system = node.Services.GetRequiredService<ActorSystem>();

        for (var n = 1; n <= Sessions; n++)
        {
            var id = $"docs-{n}";
            var (seen, detail) = await RunAsync(client, system, id);
            if (seen.OfType<SessionEvents.PlanAccepted>().Any(p => p.ExpandedFrom?.Value == "write"))
            {
                AssertRanToTheEnd(seen, detail);
                return;
            }
            // No expansion: the planner's every list was refused, and nothing else happened to the session.
            Assert.True(detail.Status.Lifecycle == SessionLifecycle.Failed, $"{id} ended as {detail.Status.Lifecycle} without an expansion: {detail.Status.EndReason}");
            var planner = seen.OfType<SessionEvents.TaskFailed>().ToList();
            Assert.Equal(4, planner.Count); // the template's analysis has three retries
            Assert.All(planner, f =>
            {
                Assert.Equal("analysis", f.TaskId.Value);
                Assert.False(string.IsNullOrEmpty(f.RawText), $"attempt {f.Attempt} failed without a reply read: {f.Reason}");
            });
        }
        Assert.Fail($"the planner's task list was refused on every attempt of {Sessions} sessions in a row");
    }

    /// <summary>How many sessions the spec starts, at most, for one whose planner's list expands.</summary>
    private const int Sessions = 4;

    private static async Task<(IReadOnlyList<object?> Seen, SessionDetail Detail)> RunAsync(OrchestratorClient client, ActorSystem system, string id)
    {
        var events = client.Events(id)
            .Select(i => i is FeedItem<SessionLiveEvent>.Event e ? e.Value.Event : null)
            .Where(e => e is not null and not TaskTokens)
            .TakeWhile(e => e is not (SessionEvents.SessionCompleted or SessionEvents.SessionFailed), inclusive: true)
            .RunWith(Sink.Seq<object?>(), system.Materializer());

        var started = await client.StartAsync(id, "docs-generation", new Dictionary<string, string>
        {
            ["PROJECT_NAME"] = "lighthouse",
            ["PROJECT_DESCRIPTION"] = "A library that counts ships: a parser module, a counter module and a CLI.",
        });
        started.OrThrow();

        var seen = await events.WaitAsync(TimeSpan.FromMinutes(5));
        return (seen, (await client.DetailAsync(id)).OrThrow());
    }

    private static void AssertRanToTheEnd(IReadOnlyList<object?> seen, SessionDetail detail)
    {
        var status = detail.Status;
        var expansion = Assert.Single(seen.OfType<SessionEvents.PlanAccepted>(), p => p.ExpandedFrom?.Value == "write");
        Assert.NotEmpty(expansion.Tasks);
        Assert.Equal(4 + expansion.Tasks.Count, status.TotalTasks); // the template's four nodes (the prototype included) and its instances
        var parts = expansion.Tasks.Select(t => t.Id.Value).ToHashSet();
        var tasks = detail.Tasks.ToDictionary(t => t.Id);
        Assert.All(parts, id => Assert.Contains(id, tasks.Keys));
        Assert.Equal(TaskRunState.Succeeded, tasks["analysis"].State);

        var failed = detail.Tasks.Where(t => t.State == TaskRunState.Failed).ToList();
        if (failed.Count == 0)
        {
            Assert.True(status.Lifecycle == SessionLifecycle.Completed, $"session ended as {status.Lifecycle}: {status.EndReason}");
            var written = seen.OfType<SessionEvents.TaskSucceeded>().Select(s => s.TaskId.Value).ToHashSet();
            Assert.All(parts, id => Assert.Contains(id, written));
            Assert.Contains("aggregation", written);
            Assert.Contains("verification", written);
        }
        else
        {
            // The model's own verdict, on every attempt a writer part had (two retries): the only way this session fails.
            Assert.True(status.Lifecycle == SessionLifecycle.Failed, $"session ended as {status.Lifecycle}: {status.EndReason}");
            Assert.All(failed, t =>
            {
                Assert.Contains(t.Id, parts);
                Assert.StartsWith("the worker reported failure", t.LastError);
                Assert.Equal(3, t.Attempt);
                Assert.Contains(t.Id, status.EndReason);
            });
        }
        // Whatever the rolls, a part's attempt fails only by the model's own report: every reply was read as the
        // protocol's, within its deadline.
        Assert.All(seen.OfType<SessionEvents.TaskFailed>().Where(f => parts.Contains(f.TaskId.Value)),
            f => Assert.StartsWith("the worker reported failure", f.Reason));
    }
}
