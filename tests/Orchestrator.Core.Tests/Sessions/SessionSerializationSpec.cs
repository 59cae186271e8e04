using System.Text.Json;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Councils.CouncilEvents;
using static Orchestrator.Core.GroupChat.GroupChatEvents;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>What the journal, the snapshot store and remoting will do with Core's records: System.Text.Json by manifest.</summary>
public class SessionSerializationSpec
{
    private static object RoundTrip(object message)
    {
        Assert.True(MessageCatalog.Default.TryGetManifest(message.GetType(), out var manifest), $"{message.GetType().Name} is not registered");
        Assert.True(MessageCatalog.Default.TryGetType(manifest, out var type));
        return JsonSerializer.Deserialize(JsonSerializer.Serialize(message, message.GetType()), type)!;
    }

    [Fact]
    public void Snapshot_survives_json_and_restores_the_same_state()
    {
        var (state, _) = Started(Template(new SessionSettingsSpec(TimeBudget: TimeSpan.FromMinutes(3)),
            Node("a", retries: 1), Node("b", deps: "a"), Node("c", deps: "a")));
        (state, _) = Step(state, T0);
        state = state.Apply(Failure(state, "a", T0));

        var restored = SessionState.FromSnapshot((SessionSnapshots.SessionSnapshot)RoundTrip(state.ToSnapshot()));

        Assert.Equal(Canonical(state), Canonical(restored));
        Assert.Equal(TimeSpan.FromMinutes(3), restored.Settings.TimeBudget);
        Assert.Single(restored.RetryQueue);
    }

    [Fact]
    public void A_snapshot_keeps_the_transcripts_of_nodes_still_deliberating()
    {
        var (state, _) = Started(Template(SessionSettingsSpec.Empty, Node("a"), Node("b")));
        var council = new CouncilSpec([new CouncilMember("m1", "dev"), new CouncilMember("m2", "dev", "big")], Rounds: 2);
        var transcripts = DeliberationTranscripts.Empty
            .Apply(new CouncilConvened(SessionId.Parse("s1"), TaskId.Parse("a"), 1, council, T0))
            .Apply(new CouncilEntryRecorded(SessionId.Parse("s1"), TaskId.Parse("a"), 1, new CouncilEntry(CouncilEntryKind.Answer, CouncilStep.Generate, 1, "m1", Text: "draft"), T0))
            .Apply(new CouncilEntryRecorded(SessionId.Parse("s1"), TaskId.Parse("a"), 1, new CouncilEntry(CouncilEntryKind.Critique, CouncilStep.Critique, 1, "m2", "m1", "tighten", 0.4, false), T0))
            .Apply(new ChatEntryRecorded(SessionId.Parse("s1"), TaskId.Parse("b"), 1, new ChatEntry(ChatEntryKind.Turn, 1, "alice", "hello"), T0));

        var restored = ((SessionSnapshots.SessionSnapshot)RoundTrip(state.ToSnapshot() with { Transcripts = transcripts })).Transcripts!;

        var (restoredCouncil, entries) = restored.CouncilOf(TaskId.Parse("a"))!.Value;
        Assert.Equal(JsonSerializer.Serialize(council), JsonSerializer.Serialize(restoredCouncil));
        Assert.Equal(transcripts.CouncilOf(TaskId.Parse("a"))!.Value.Entries, entries);
        Assert.Equal(transcripts.ChatOf(TaskId.Parse("b")), restored.ChatOf(TaskId.Parse("b")));
        Assert.Empty(restored.Apply(new TaskSucceeded(SessionId.Parse("s1"), TaskId.Parse("a"), 1, "out", 1, TimeSpan.Zero, T0)).CouncilOf(TaskId.Parse("a"))?.Entries ?? []);
        Assert.Null(((SessionSnapshots.SessionSnapshot)RoundTrip(state.ToSnapshot())).Transcripts);
    }

    [Fact]
    public void Commands_and_replies_survive_json()
    {
        object[] messages =
        [
            new StartSession("s1", "manuscript-review", new Dictionary<string, string> { ["MANUSCRIPT"] = "text" }),
            new PauseSession("s1"), new ResumeSession("s1"), new CancelSession("s1", "why"), new GetSessionStatus("s1"),
            new ListSessions("running", "t", 10, "123.s0"), new GetSessionDetail("s1"), new SessionStarted("s1"), new SessionNotFound("s1"),
            new SessionList([new SessionSummary("s1", "t", SessionLifecycle.Failed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 2, 0.5, "why")], "123.s1"),
            new SessionListRefused(["bad"]),
            new SessionDetail(new SessionStatus("s1", SessionLifecycle.Running, "t", 1, 1, 0, 0, 0, 1, 0, null, null),
                new Dictionary<string, string> { ["A"] = "b" }, DateTimeOffset.UnixEpoch,
                [new TaskView("a", "analyst", null, ["b"], TaskRunState.Dispatched, 1, 0, "tiny", null, "timeout")]),
            new SessionRejected("s1", ["a", "b"]),
            new SessionStatus("s1", SessionLifecycle.Paused, "t", 2, 7, 3, 1, 1, 2, 1234, 0.7, null),
        ];
        foreach (var message in messages)
        {
            var back = RoundTrip(message);
            Assert.Equal(JsonSerializer.Serialize(message, message.GetType()), JsonSerializer.Serialize(back, back.GetType()));
        }
    }

    [Fact]
    public void Session_messages_carry_the_id_the_shard_region_routes_on()
    {
        ISessionMessage[] messages = [new StartSession("s9", "t", new Dictionary<string, string>()), new PauseSession("s9"), new GetSessionStatus("s9")];
        Assert.All(messages, m => Assert.Equal("s9", m.SessionId));
        Assert.Equal("session-s9", SessionId.Parse("s9").PersistenceId);
    }
}
