using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Streams;
using Orchestrator.Llama.Gguf;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Api;
using Orchestrator.Testing;
using Xunit.Abstractions;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryReplies;
using static Orchestrator.Core.Councils.CouncilEvents;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>Councils on a whole node: the shipped code-council template deliberating on a generated tiny llama model
/// (random weights; every critique, choice and answer held to its JSON schema by grammar), journaled in SQLite; and the
/// council directory surviving a restart of the node over the same database.</summary>
public sealed class CodeCouncilEndToEndSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Roles = ["DEV", "QA", "ARCHITECT"];

    private readonly string _dir = Directory.CreateTempSubdirectory("orch-council-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<InProcessNode> Node(string model, string database) => InProcessNode.StartAsync($$"""
        {{TinyModelNode.Config(model, Roles)}}
        orchestrator.sessions.max-tokens = 512
        orchestrator.persistence.sqlite.path = {{HoconText.Quote(database)}}
        """);

    private string TinyModelFile()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        return model;
    }

    [Fact]
    public async Task Code_council_deliberates_to_the_end_on_a_tiny_model()
    {
        await using var node = await Node(TinyModelFile(), Path.Combine(_dir, "node.db"));
        var client = node.Services.GetRequiredService<OrchestratorClient>();
        var system = node.Services.GetRequiredService<ActorSystem>();
        var entries = new List<CouncilEntryRecorded>();
        var ended = client.Events("council-1")
            .Select(i =>
            {
                if (i is FeedItem<SessionLiveEvent>.Event { Value.Event: CouncilEntryRecorded e }) lock (entries) entries.Add(e);
                return i;
            })
            .Where(i => i is FeedItem<SessionLiveEvent>.Event { Value.Event: SessionEvents.SessionCompleted or SessionEvents.SessionFailed })
            .RunWith(Sink.First<FeedItem<SessionLiveEvent>>(), system.Materializer());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var started = await client.StartAsync("council-1", "code-council",
            new Dictionary<string, string> { ["SPEC"] = "int Max(int a, int b): the larger of a and b" });
        started.OrThrow();

        await ended.WaitAsync(TimeSpan.FromMinutes(6));
        var status = (await client.StatusAsync("council-1")).OrThrow();
        output.WriteLine($"code-council on the tiny model: {status.Lifecycle} in {clock.Elapsed.TotalSeconds:0.0} s, " +
                         $"{status.TokensUsed} tokens, {entries.Count} council entries");
        Assert.True(status.Lifecycle == SessionLifecycle.Completed, $"session ended as {status.Lifecycle}: {status.EndReason}");
        Assert.Equal(3, status.Succeeded);
        lock (entries)
        {
            var implement = entries.Where(e => e.TaskId.Value == "implement").Select(e => e.Entry).ToList();
            Assert.Equal(2, implement.Count(e => e is { Kind: CouncilEntryKind.Answer, Step: CouncilStep.Generate }));
            Assert.Contains(implement, e => e.Kind == CouncilEntryKind.Critique && e.Score is >= 0 and <= 1);
            Assert.Single(implement, e => e.Kind == CouncilEntryKind.Selected);
            Assert.DoesNotContain(implement, e => e.Kind == CouncilEntryKind.MemberFailed); // grammar keeps every reply readable
            Assert.Single(entries.Where(e => e.TaskId.Value == "qa-review"), e => e.Entry.Kind == CouncilEntryKind.Selected);
        }
    }

    [Fact]
    public async Task Councils_created_at_run_time_survive_a_node_restart()
    {
        var model = TinyModelFile();
        var database = Path.Combine(_dir, "councils.db");
        var devs = new CouncilSpec([new("dev-1", "DEV"), new("dev-2", "DEV")], Rounds: 2);

        await using (var first = await Node(model, database))
        {
            var councils = first.Services.GetRequiredService<ActorRegistry>().Get<CouncilDirectory>();
            Assert.IsType<CouncilCreated>(await councils.Ask<IClusterMessage>(new CreateCouncil("DEV", devs), TimeSpan.FromSeconds(20)));
            Assert.IsType<CouncilRejected>(await councils.Ask<IClusterMessage>(
                new CreateCouncil("QA", new CouncilSpec([new("qa-1", "POET"), new("qa-2", "QA")])), TimeSpan.FromSeconds(20)));
        }

        await using var second = await Node(model, database);
        var again = second.Services.GetRequiredService<ActorRegistry>().Get<CouncilDirectory>();
        var list = Assert.IsType<CouncilList>(await again.Ask<IClusterMessage>(new ListCouncils(), TimeSpan.FromSeconds(20)));
        var council = Assert.Single(list.Councils);
        Assert.Equal("DEV", council.Role);
        Assert.Equal(["dev-1", "dev-2"], council.Council.Members.Select(m => m.Name));
        Assert.Equal(2, council.Council.Rounds);
    }
}
