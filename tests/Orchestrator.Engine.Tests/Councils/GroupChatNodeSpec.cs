using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.GroupChat.GroupChatEvents;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Councils;

/// <summary>A group chat node inside a session, on a scripted model: speakers take turns, the chat ends on its
/// termination condition, the transcript is persisted and streamed and becomes the node's output.</summary>
public sealed class GroupChatNodeSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly CouncilMember[] People = [new("ann", "DEV"), new("bob", "QA")];

    private static string Key(Generate g) => ScriptedModel.KeyOf(g);

    private (OrchestratorClient Client, ScriptedModel.Log Log, List<object> Events) Start(GroupChatSpec chat, Func<Generate, Script> script)
    {
        var (model, log) = ScriptedModels.Start(Sys, script, $"model-{Guid.NewGuid():N}");
        var feed = new LiveFeed<SessionLiveEvent>();
        var template = new WorkflowTemplate("chat",
            [
                new WorkflowNode("talk", "DEV", "Design a cache", [], Chat: chat),
                new WorkflowNode("sum", "writer", "Summarize {output.talk}", ["talk"]),
            ], SessionSettingsSpec.Empty, []);
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { ["chat"] = template }, model, Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(8))), feed);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props("g1", runtime), TestActor));
        var client = new OrchestratorClient(session, feed, TimeSpan.FromSeconds(3));
        var events = new List<object>();
        client.Events("g1").RunForeach(i =>
        {
            if (i is FeedItem<SessionLiveEvent>.Event { Value.Event: var e }) lock (events) events.Add(e);
        }, Sys.Materializer());
        return (client, log, events);
    }

    private async Task<SessionStatus> Completed(OrchestratorClient client)
    {
        (await client.StartAsync("g1", "chat", new Dictionary<string, string>())).OrThrow();
        SessionStatus? status = null;
        await AwaitAssertAsync(async () =>
        {
            status = (await client.StatusAsync("g1")).OrThrow();
            Assert.Equal(SessionLifecycle.Completed, status.Lifecycle);
        }, Deadline, TimeSpan.FromMilliseconds(20));
        return status!;
    }

    private static Script Talks(Generate g) => Key(g) is { Length: > 0 } key
        ? new Script.Reply($"{key.Split('/')[2]} at turn {key.Split('/')[0]}")
        : new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g), "summed up"));

    [Fact]
    public async Task Participants_speak_round_robin_until_the_turn_limit_and_the_transcript_is_the_output()
    {
        var (client, log, events) = Start(new GroupChatSpec(People, MaxTurns: 3), Talks);

        await Completed(client);

        var sum = log.Requests.Single(r => ScriptedModel.TaskOf(r) == "sum").Prompt!;
        Assert.Contains("[ann] ann at turn 1\n\n[bob] bob at turn 2\n\n[ann] ann at turn 3", sum);
        await AwaitAssertAsync(() =>
        {
            List<ChatEntry> entries;
            lock (events) entries = events.OfType<ChatEntryRecorded>().Select(e => e.Entry).ToList();
            Assert.Equal(3, entries.Count(e => e.Kind == ChatEntryKind.Turn));
            Assert.Contains("turn limit", entries.Single(e => e.Kind == ChatEntryKind.Ended).Text);
        }, Deadline);
    }

    [Fact]
    public async Task A_selector_agent_picks_speakers_and_a_judge_ends_the_chat()
    {
        var spec = new GroupChatSpec(People, SpeakerSelection.Selector, SelectorRole: "lead", MaxTurns: 10, JudgeRole: "judge-role");
        var (client, log, _) = Start(spec, g => Key(g).Split('/') switch
        {
            [_, "choosespeaker", ..] => new Script.Reply("""{"speaker": "bob"}"""),
            [var turn, "judge", ..] => new Script.Reply($$"""{"done": {{(turn == "2" ? "true" : "false")}}, "reason": "covered"}"""),
            _ => Talks(g),
        });

        await Completed(client);

        var turns = log.Requests.Where(r => Key(r).Contains("/speak/")).Select(Key).ToList();
        Assert.Equal(["1/speak/bob", "2/speak/bob"], turns);
        Assert.All(log.Requests.Where(r => Key(r).Contains("/choosespeaker/")), r => Assert.Equal("lead", r.Model));
        Assert.Contains(log.Requests, r => r.Model == "judge-role");
    }

    [Fact]
    public async Task A_participant_that_fails_is_dropped_and_the_chat_goes_on()
    {
        var (client, log, _) = Start(new GroupChatSpec(People, MaxTurns: 3),
            g => Key(g).EndsWith("/bob") ? new Script.Fail(FailureCodes.PoolFailed, "down") : Talks(g));

        await Completed(client);

        Assert.Single(log.Requests, r => Key(r).EndsWith("/bob"));
        Assert.Contains("[ann] ann at turn 3", log.Requests.Single(r => ScriptedModel.TaskOf(r) == "sum").Prompt);
    }
}
