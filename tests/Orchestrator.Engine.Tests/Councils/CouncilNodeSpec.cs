using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilEvents;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Councils;

/// <summary>A council node inside a session, on a scripted model: members deliberate through the session's models,
/// the transcript is persisted with the session and streamed, failures are dropped or fail the node, and a restarted
/// session's council goes on from its transcript.</summary>
public sealed class CouncilNodeSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly CouncilSpec Devs = new(
        [new("dev-1", "DEV"), new("dev-2", "DEV"), new("dev-3", "SENIOR")], Rounds: 1, Consensus: CouncilConsensus.None);

    private static WorkflowTemplate Template(CouncilSpec council, int retries = 0) => new(
        "code",
        [
            new WorkflowNode("write", "DEV", "Write {FN}", [], Retries: retries, Council: council),
            new WorkflowNode("use", "writer", "Use {output.write}", ["write"]),
        ],
        SessionSettingsSpec.Empty,
        [new WorkflowVariable("FN", Required: true)]);

    private static readonly Dictionary<string, string> Inputs = new() { ["FN"] = "max" };

    /// <summary>The council part of a request id (round/step/member[/target]); empty for a plain task.</summary>
    private static string Key(Generate g) => ScriptedModel.KeyOf(g);

    private static string? Step(Generate g) => Key(g).Split('/') is [_, var step, ..] ? step : null;

    private static string Member(Generate g) => Key(g).Split('/') is [_, _, var member, ..] ? member : "";

    /// <summary>Drafts, critiques scoring dev-2 highest, revisions; plain tasks complete.</summary>
    private static Script Deliberates(Generate g) => Step(g) switch
    {
        "generate" => new Script.Reply($"draft of {Member(g)}"),
        "critique" => new Script.Reply($$"""{"score": {{(Key(g).EndsWith("dev-2") ? "0.9" : "0.3")}}, "approve": false, "critique": "tighten it"}"""),
        "revise" => new Script.Reply($"revised by {Member(g)}"),
        _ => new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g), "used")),
    };

    private (IActorRef Session, OrchestratorClient Client, ScriptedModel.Log Log, LiveFeed<SessionLiveEvent> Feed) Start(
        Func<Generate, Script> script, WorkflowTemplate template, IActorRef? councils = null, int? snapshotEvery = null)
    {
        var (model, log) = ScriptedModels.Start(Sys, script, $"model-{Guid.NewGuid():N}");
        var feed = new LiveFeed<SessionLiveEvent>();
        // The node's models-by-role, as a node gives it to both its sessions and its decision engine (which picks the
        // model of each member that names only a role).
        var modelByRole = new Dictionary<string, string> { ["DEV"] = "dev-model", ["SENIOR"] = "big-model" };
        var runtime = new SessionRuntime(
            new Dictionary<string, WorkflowTemplate> { ["code"] = template }, model, Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16, modelByRole))),
            feed, modelByRole, Councils: councils);
        if (snapshotEvery is { } every) runtime = runtime with { SnapshotEvery = every };
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props("c1", runtime), TestActor));
        return (session, new OrchestratorClient(session, feed, TimeSpan.FromSeconds(3)), log, feed);
    }

    private async Task<SessionStatus> AwaitLifecycle(OrchestratorClient client, SessionLifecycle lifecycle)
    {
        SessionStatus? status = null;
        await AwaitAssertAsync(async () =>
        {
            status = (await client.StatusAsync("c1")).OrThrow();
            Assert.Equal(lifecycle, status.Lifecycle);
        }, Deadline, TimeSpan.FromMilliseconds(20));
        return status!;
    }

    private List<object> Record(OrchestratorClient client)
    {
        var events = new List<object>();
        client.Events("c1").RunForeach(i =>
        {
            if (i is FeedItem<SessionLiveEvent>.Event { Value.Event: var e }) lock (events) events.Add(e);
        }, Sys.Materializer());
        return events;
    }

    private static List<T> OfType<T>(List<object> events)
    {
        lock (events) return events.OfType<T>().ToList();
    }

    [Fact]
    public async Task The_council_winner_is_the_node_output_and_its_transcript_is_persisted_and_streamed()
    {
        var (_, client, log, _) = Start(Deliberates, Template(Devs));
        var events = Record(client);

        (await client.StartAsync("c1", "code", Inputs)).OrThrow();
        var status = await AwaitLifecycle(client, SessionLifecycle.Completed);

        Assert.Equal(2, status.Succeeded);
        Assert.Contains("revised by dev-2", log.Requests.Single(r => ScriptedModel.TaskOf(r) == "use").Prompt);
        await AwaitAssertAsync(() =>
        {
            var entries = OfType<CouncilEntryRecorded>(events).Select(e => e.Entry).ToList();
            Assert.Equal(3, entries.Count(e => e.Step == CouncilStep.Generate));
            Assert.Equal(6, entries.Count(e => e.Kind == CouncilEntryKind.Critique));
            Assert.Equal(3, entries.Count(e => e.Step == CouncilStep.Revise));
            Assert.Equal("dev-2", entries.Single(e => e.Kind == CouncilEntryKind.Selected).Member);
            Assert.Single(OfType<CouncilConvened>(events));
        }, Deadline);
        Assert.Equal(30 * 12, status.TokensUsed - 30); // 12 council requests and the plain task, 30 tokens each
    }

    [Fact]
    public async Task Each_round_and_phase_is_a_span_of_the_councils_attempt_holding_its_members_generations()
    {
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;
        var (_, client, _, _) = Start(Deliberates, Template(Devs));

        (await client.StartAsync("c1", "code", Inputs)).OrThrow();
        await AwaitLifecycle(client, SessionLifecycle.Completed);

        await AwaitAssertAsync(() =>
        {
            // Spans of other specs' sessions may be listened to as well: this one's attempt is the one with its rounds.
            var attempt = spans.Single(s => s.OperationName == OrchestratorTelemetry.Spans.TaskAttempt
                && (string?)s.GetTagItem(OrchestratorTelemetry.Attributes.TaskId) == "write"
                && spans.Any(r => r.ParentSpanId == s.SpanId && r.OperationName == OrchestratorTelemetry.Spans.CouncilRound));
            var rounds = spans.Where(r => r.ParentSpanId == attempt.SpanId && r.OperationName == OrchestratorTelemetry.Spans.CouncilRound)
                .OrderBy(r => r.StartTimeUtc).ToList();
            Assert.Equal(["generate", "critique", "revise"], rounds.Select(r => (string?)r.GetTagItem(OrchestratorTelemetry.Attributes.Phase)));
            Assert.All(rounds, r => Assert.Equal(1, r.GetTagItem(OrchestratorTelemetry.Attributes.Round)));
            Assert.Equal([3, 6, 3], rounds.Select(r => spans.Count(g => g.ParentSpanId == r.SpanId && g.OperationName == OrchestratorTelemetry.Spans.Generation)));
        }, Deadline);
    }

    [Fact]
    public async Task Each_members_tokens_are_streamed_live_under_its_transcript_key()
    {
        var (_, client, log, _) = Start(Deliberates, Template(Devs));
        var events = Record(client);

        await client.StartAsync("c1", "code", Inputs);
        await AwaitLifecycle(client, SessionLifecycle.Completed);

        await AwaitAssertAsync(() =>
        {
            var tokens = OfType<TaskTokens>(events).Where(t => t.TaskId == "write").ToList();
            var requests = log.Requests.Where(r => ScriptedModel.TaskOf(r) == "write").ToList();
            Assert.All(requests, r => Assert.True(r.Stream, $"{r.RequestId} was not streamed"));
            // The scripted model streams each reply in two chunks: both arrive under the request's transcript key.
            Assert.Equal(requests.Select(Key).Order(), tokens.Where(t => t.Index == 0).Select(t => t.Member!).Order());
            Assert.Equal("draft of dev-2", string.Concat(tokens.Where(t => t.Member == "1/generate/dev-2").OrderBy(t => t.Index).Select(t => t.Text)));
            Assert.All(OfType<TaskTokens>(events).Where(t => t.TaskId == "use"), t => Assert.Null(t.Member));
        }, Deadline);
    }

    [Fact]
    public async Task Each_member_is_served_by_the_model_of_its_role()
    {
        var (_, client, log, _) = Start(Deliberates, Template(Devs));

        await client.StartAsync("c1", "code", Inputs);
        await AwaitLifecycle(client, SessionLifecycle.Completed);

        var council = log.Requests.Where(r => ScriptedModel.TaskOf(r) == "write").ToList();
        Assert.All(council.Where(r => Member(r) != "dev-3"), r => Assert.Equal("dev-model", r.Model));
        Assert.All(council.Where(r => Member(r) == "dev-3"), r => Assert.Equal("big-model", r.Model));
        Assert.All(council.Where(r => Step(r) == "critique"), r => Assert.Contains("\"approve\"", r.JsonSchema));
    }

    [Fact]
    public async Task A_member_that_fails_is_recorded_and_the_council_goes_on_without_it()
    {
        var (_, client, log, _) = Start(g => Member(g) == "dev-3" && Step(g) == "generate"
            ? new Script.Fail(FailureCodes.PoolFailed, "the pool restarted")
            : Deliberates(g), Template(Devs));
        var events = Record(client);

        await client.StartAsync("c1", "code", Inputs);
        await AwaitLifecycle(client, SessionLifecycle.Completed);

        Assert.Equal(1, log.Requests.Count(r => ScriptedModel.TaskOf(r) == "write" && Member(r) == "dev-3"));
        await AwaitAssertAsync(() =>
        {
            var failed = Assert.Single(OfType<CouncilEntryRecorded>(events), e => e.Entry.Kind == CouncilEntryKind.MemberFailed).Entry;
            Assert.Equal("dev-3", failed.Member);
            Assert.Contains("the pool restarted", failed.Text);
            Assert.Equal(2, OfType<CouncilEntryRecorded>(events).Count(e => e.Entry.Kind == CouncilEntryKind.Critique));
        }, Deadline);
    }

    [Fact]
    public async Task A_member_that_times_out_is_dropped_and_its_generation_cancelled()
    {
        var council = Devs with { MemberTimeout = TimeSpan.FromMilliseconds(200) };
        var (_, client, log, _) = Start(g => Member(g) == "dev-1" && Step(g) == "revise" ? new Script.Hang() : Deliberates(g), Template(council));
        var events = Record(client);

        await client.StartAsync("c1", "code", Inputs);
        await AwaitLifecycle(client, SessionLifecycle.Completed);

        await AwaitAssertAsync(() => Assert.Contains(log.Cancellations, c => c.RequestId.EndsWith("/revise/dev-1")), Deadline);
        await AwaitAssertAsync(() => Assert.Contains(OfType<CouncilEntryRecorded>(events),
            e => e.Entry is { Kind: CouncilEntryKind.MemberFailed, Member: "dev-1" } && e.Entry.Text!.Contains("timed out")), Deadline);
    }

    [Fact]
    public async Task Fewer_than_two_answers_fail_the_node_and_the_transcript_is_kept()
    {
        var (_, client, _, _) = Start(g => Step(g) == "generate" && Member(g) != "dev-1"
            ? new Script.Reply("")
            : Deliberates(g), Template(Devs));
        var events = Record(client);

        await client.StartAsync("c1", "code", Inputs);
        var status = await AwaitLifecycle(client, SessionLifecycle.Failed);

        Assert.Equal(1, status.Failed);
        await AwaitAssertAsync(() =>
        {
            var failure = Assert.Single(OfType<SessionEvents.TaskFailed>(events));
            Assert.Contains("fewer than two answers", failure.Reason);
            var entries = OfType<CouncilEntryRecorded>(events).Select(e => e.Entry).ToList();
            Assert.Contains(entries, e => e is { Kind: CouncilEntryKind.Answer, Member: "dev-1" });
            Assert.Equal(2, entries.Count(e => e.Kind == CouncilEntryKind.MemberFailed));
            Assert.Equal(CouncilEntryKind.Failed, entries[^1].Kind);
        }, Deadline);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)] // snapshots as often as the session takes them: the transcript so far is in the snapshot
    public async Task A_restarted_session_continues_its_council_without_repeating_completed_steps(int? snapshotEvery)
    {
        var (session, client, log, _) = Start(g => Step(g) == "revise" ? new Script.Hang() : Deliberates(g), Template(Devs), snapshotEvery: snapshotEvery);
        await client.StartAsync("c1", "code", Inputs);
        await AwaitAssertAsync(() => Assert.Equal(3, log.Requests.Count(r => Step(r) == "revise")), Deadline);
        // The critiques are persisted once the session has written them: its status answers after that write.
        await client.StatusAsync("c1");

        Sys.ActorSelection(session.Path / "entity-1").Tell(Kill.Instance);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        Sys.Stop(session);

        var (_, again, log2, _) = Start(Deliberates, Template(Devs), snapshotEvery: snapshotEvery);
        await AwaitLifecycle(again, SessionLifecycle.Completed);

        Assert.Equal(0, log2.Requests.Count(r => Step(r) == "generate"));
        Assert.Equal(0, log2.Requests.Count(r => Step(r) == "critique"));
        Assert.Equal(3, log2.Requests.Count(r => Step(r) == "revise"));
        Assert.Contains("revised by dev-2", log2.Requests.Single(r => ScriptedModel.TaskOf(r) == "use").Prompt);
    }

    [Fact]
    public async Task A_completed_council_never_runs_again_after_a_restart()
    {
        var (session, client, log, _) = Start(g => ScriptedModel.TaskOf(g) == "use" ? new Script.Hang() : Deliberates(g), Template(Devs));
        await client.StartAsync("c1", "code", Inputs);
        await AwaitAssertAsync(() => Assert.Single(log.Requests, r => ScriptedModel.TaskOf(r) == "use"), Deadline);

        Sys.ActorSelection(session.Path / "entity-1").Tell(Kill.Instance);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        Sys.Stop(session);

        var (_, again, log2, _) = Start(Deliberates, Template(Devs));
        await AwaitLifecycle(again, SessionLifecycle.Completed);

        Assert.Equal(0, log2.CountFor("write"));
        Assert.Equal(1, log2.CountFor("use"));
    }

    [Fact]
    public async Task A_node_naming_a_council_by_role_is_served_by_the_directory()
    {
        var directory = Sys.ActorOf(CouncilDirectory.Props(null));
        directory.Tell(new CreateCouncil("DEV", Devs));
        ExpectMsg<CouncilDirectoryReplies.CouncilCreated>(Deadline);
        var (_, client, log, _) = Start(Deliberates, Template(new CouncilSpec([], Role: "DEV")), directory);

        await client.StartAsync("c1", "code", Inputs);
        await AwaitLifecycle(client, SessionLifecycle.Completed);

        Assert.Equal(3, log.Requests.Count(r => Step(r) == "generate"));
    }

    [Fact]
    public async Task A_council_role_missing_from_the_directory_fails_the_node_with_the_reason()
    {
        var directory = Sys.ActorOf(CouncilDirectory.Props(null));
        var (_, client, log, _) = Start(Deliberates, Template(new CouncilSpec([], Role: "QA"), retries: 3), directory);
        var events = Record(client);

        await client.StartAsync("c1", "code", Inputs);
        await AwaitLifecycle(client, SessionLifecycle.Failed);

        Assert.Empty(log.Requests);
        await AwaitAssertAsync(() => Assert.Contains("no council of role 'QA'", Assert.Single(OfType<SessionEvents.TaskFailed>(events)).Reason), Deadline);
    }
}
