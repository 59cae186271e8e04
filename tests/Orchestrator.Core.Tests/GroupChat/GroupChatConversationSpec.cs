using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;

namespace Orchestrator.Core.Tests.GroupChat;

public class GroupChatConversationSpec
{
    private static readonly CouncilMember[] Trio = [new("ann", "DEV"), new("bob", "QA"), new("cy", "ARCHITECT")];

    private static GroupChatConversation Run(GroupChatSpec spec, Func<ChatRequest, string> reply, int maxSteps = 200)
    {
        var s = GroupChatConversation.Start(spec, "design a cache");
        for (var i = 0; i < maxSteps; i++)
        {
            switch (s.Next())
            {
                case ChatAction.Finished: return s;
                case ChatAction.Record r: s = s.Apply(r.Entry); break;
                case ChatAction.Ask a:
                    var text = reply(a.Request);
                    s = s.Apply(text == "FAIL" ? GroupChatConversation.Failure(a.Request, "timed out") : s.Read(a.Request, text));
                    break;
            }
        }
        throw new InvalidOperationException("the chat did not end");
    }

    private static string Says(ChatRequest r) => $"{r.Agent.Name} speaks at turn {r.Turn}";

    [Fact]
    public void Round_robin_gives_each_participant_a_turn_in_order_until_the_turn_limit()
    {
        var s = Run(new GroupChatSpec(Trio, MaxTurns: 5), Says);

        Assert.Equal(["ann", "bob", "cy", "ann", "bob"], s.Spoken.Select(t => t.Speaker));
        Assert.True(s.Outcome!.Succeeded);
        Assert.Contains("turn limit (5)", s.Outcome.Reason);
        Assert.StartsWith("[ann] ann speaks at turn 1\n\n[bob]", s.Outcome.Transcript);
    }

    [Fact]
    public void The_stop_phrase_ends_the_chat()
    {
        var s = Run(new GroupChatSpec(Trio, MaxTurns: 10, StopPhrase: "TERMINATE"),
            r => r.Turn == 2 ? "all settled, terminate" : Says(r));

        Assert.Equal(2, s.Spoken.Count);
        Assert.Contains("bob said the stop phrase", s.Outcome!.Reason);
    }

    [Fact]
    public void A_selector_agent_chooses_each_speaker()
    {
        var spec = new GroupChatSpec(Trio, SpeakerSelection.Selector, SelectorRole: "ARCHITECT", MaxTurns: 3);

        var s = Run(spec, r => r.Step == ChatStep.ChooseSpeaker ? """{"speaker": "cy"}""" : Says(r));

        Assert.Equal(["cy", "cy", "cy"], s.Spoken.Select(t => t.Speaker));
        Assert.Equal(3, s.Transcript.Count(e => e.Kind == ChatEntryKind.SpeakerChosen));
    }

    [Fact]
    public void A_selector_that_fails_leaves_the_turn_to_round_robin()
    {
        var spec = new GroupChatSpec(Trio, SpeakerSelection.Selector, SelectorRole: "ARCHITECT", MaxTurns: 2);

        var s = Run(spec, r => r.Step == ChatStep.ChooseSpeaker ? """{"speaker": "zed"}""" : Says(r));

        Assert.Equal(["ann", "bob"], s.Spoken.Select(t => t.Speaker));
        Assert.Equal(2, s.Transcript.Count(e => e is { Kind: ChatEntryKind.ParticipantFailed, Speaker: GroupChatConversation.SelectorName }));
    }

    [Fact]
    public void A_judge_ends_the_chat_when_it_finds_the_task_done()
    {
        var spec = new GroupChatSpec(Trio, MaxTurns: 10, JudgeRole: "ARCHITECT");

        var s = Run(spec, r => r.Step == ChatStep.Judge
            ? $$"""{"done": {{(r.Turn == 3 ? "true" : "false")}}, "reason": "turn {{r.Turn}}"}"""
            : Says(r));

        Assert.Equal(3, s.Spoken.Count);
        Assert.Equal("the judge found it done: turn 3", s.Outcome!.Reason);
        Assert.Equal(3, s.Transcript.Count(e => e.Kind == ChatEntryKind.Verdict));
    }

    [Fact]
    public void A_participant_that_fails_is_dropped_and_the_others_talk_on()
    {
        var s = Run(new GroupChatSpec(Trio, MaxTurns: 4), r => r.Agent.Name == "bob" ? "FAIL" : Says(r));

        Assert.DoesNotContain("bob", s.Active);
        Assert.Equal(4, s.Spoken.Count);
        Assert.DoesNotContain(s.Spoken, t => t.Speaker == "bob");
        Assert.Contains(s.Transcript, e => e is { Kind: ChatEntryKind.ParticipantFailed, Speaker: "bob", Text: "timed out" });
    }

    [Fact]
    public void When_nobody_is_left_to_speak_the_chat_fails()
    {
        var s = Run(new GroupChatSpec(Trio, MaxTurns: 4), _ => "FAIL");

        Assert.False(s.Outcome!.Succeeded);
        Assert.Equal("no participant is left", s.Outcome.Reason);
    }

    [Fact]
    public void Past_the_context_size_the_summarizer_folds_older_turns()
    {
        var context = new ContextSettings(MaxChars: 2000, SummarizeAboveChars: 120, SummarizerRole: "ARCHITECT", KeepRecentTurns: 1);
        var spec = new GroupChatSpec(Trio, MaxTurns: 6, Context: context);

        var s = Run(spec, r => r.Step == ChatStep.Summarize ? """{"summary": "they agreed on LRU"}""" : Says(r) + new string('.', 40));

        Assert.Contains(s.Transcript, e => e.Kind == ChatEntryKind.Summary);
        Assert.Equal("they agreed on LRU", s.Context.Summary);
        Assert.True(s.Context.History.Count <= 2);
        Assert.Equal(6, s.Spoken.Count); // the output keeps every turn
        var lastSpeak = GroupChatConversation.Replay(spec, "design a cache", s.Transcript.Take(s.Transcript.Count - 1));
        Assert.Equal(s.Context.Summary, lastSpeak.Context.Summary);
    }

    [Fact]
    public void Replaying_the_transcript_gives_the_same_conversation()
    {
        var spec = new GroupChatSpec(Trio, MaxTurns: 4, JudgeRole: "ARCHITECT");
        var s = Run(spec, r => r.Step == ChatStep.Judge ? """{"done": false, "reason": "no"}""" : Says(r));

        var replayed = GroupChatConversation.Replay(spec, "design a cache", s.Transcript);

        Assert.Equal(s.Spoken, replayed.Spoken);
        Assert.Equal(s.Outcome, replayed.Outcome);
    }

    [Fact]
    public void A_chat_of_fewer_than_two_participants_or_no_turns_is_refused()
    {
        var problems = new GroupChatSpec([new("ann", "DEV")], MaxTurns: 0).Problems();

        Assert.Contains(problems, p => p.Contains("at least 2 participants"));
        Assert.Contains(problems, p => p.Contains("max-turns"));
    }
}
