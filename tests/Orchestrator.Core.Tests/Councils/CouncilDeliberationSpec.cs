using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;

namespace Orchestrator.Core.Tests.Councils;

public class CouncilDeliberationSpec
{
    private static readonly PlannedTask Task = new(TaskId.Parse("t"), "DEV", "write f", [], 0, TimeSpan.FromMinutes(1), 0, null, null, null);

    private static CouncilSpec Council(int members = 3, int rounds = 2, CouncilConsensus consensus = CouncilConsensus.None,
        CouncilSelectorKind selector = CouncilSelectorKind.Rubric) =>
        new(Enumerable.Range(1, members).Select(i => new CouncilMember($"m{i}", "DEV")).ToList(), rounds, selector,
            selector == CouncilSelectorKind.Agent ? "ARCHITECT" : null, consensus);

    /// <summary>Answers every pending request with <paramref name="reply"/> and applies the entries, recording decisions,
    /// until the council asks for something <paramref name="reply"/> declines (null) or finishes.</summary>
    private static CouncilDeliberation Run(CouncilDeliberation s, Func<CouncilRequest, string?> reply, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            switch (s.Next())
            {
                case CouncilAction.Finished: return s;
                case CouncilAction.Record r: s = s.Apply(r.Entry); break;
                case CouncilAction.Ask ask:
                    var before = s;
                    foreach (var request in ask.Requests)
                        if (reply(request) is { } text)
                            s = s.Apply(text == "FAIL"
                                ? CouncilReplyReader.Failure(request, "model failed")
                                : CouncilReplyReader.Read(request, text, TaskReplies.KindOf(Task), Task.OutputSchema, s.Active));
                    if (ReferenceEquals(before, s)) return s;
                    break;
            }
        }
        throw new InvalidOperationException("the council did not settle");
    }

    private static string Critique(double score, bool approve) =>
        $$"""{"score": {{score.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "approve": {{(approve ? "true" : "false")}}, "critique": "c"}""";

    private static Func<CouncilRequest, string?> Scripted(Func<string, double>? scoreOf = null, bool approve = false) => r => r.Step switch
    {
        CouncilStep.Generate => $"draft by {r.Agent.Name}",
        CouncilStep.Revise => $"revision {r.Round} by {r.Agent.Name}",
        CouncilStep.Critique => Critique(scoreOf?.Invoke(r.Target!) ?? 0.5, approve),
        _ => null,
    };

    [Fact]
    public void Members_generate_in_parallel_then_critique_each_other_then_revise()
    {
        var s = CouncilDeliberation.Start(Council(), "write f");

        var generate = Assert.IsType<CouncilAction.Ask>(s.Next()).Requests;
        Assert.Equal(["m1", "m2", "m3"], generate.Select(r => r.Agent.Name));
        Assert.All(generate, r => Assert.Equal(CouncilStep.Generate, r.Step));
        Assert.All(generate, r => Assert.Contains("write f", r.Prompt));

        foreach (var r in generate) s = s.Apply(CouncilReplyReader.Read(r, $"draft by {r.Agent.Name}", TaskReplies.KindOf(Task), Task.OutputSchema, s.Active));
        var critique = Assert.IsType<CouncilAction.Ask>(s.Next()).Requests;
        Assert.Equal(6, critique.Count); // each of 3 critiques the 2 others
        Assert.DoesNotContain(critique, r => r.Agent.Name == r.Target);
        Assert.All(critique, r => Assert.Equal(CouncilPrompts.CritiqueSchema, r.JsonSchema));
        Assert.Contains("draft by m2", critique.Single(r => r.Agent.Name == "m1" && r.Target == "m2").Prompt);

        foreach (var r in critique) s = s.Apply(CouncilReplyReader.Read(r, Critique(0.4, false), TaskReplies.KindOf(Task), Task.OutputSchema, s.Active));
        var revise = Assert.IsType<CouncilAction.Ask>(s.Next()).Requests;
        Assert.Equal(["m1", "m2", "m3"], revise.Select(r => r.Agent.Name));
        Assert.All(revise, r => Assert.Equal(CouncilStep.Revise, r.Step));
        Assert.Contains("draft by m1", revise[0].Prompt);
    }

    [Fact]
    public void The_rubric_picks_the_highest_mean_peer_score_of_the_last_round()
    {
        var scores = new Dictionary<string, double> { ["m1"] = 0.3, ["m2"] = 0.9, ["m3"] = 0.6 };

        var s = Run(CouncilDeliberation.Start(Council(), "write f"), Scripted(t => scores[t]));

        var outcome = Assert.IsType<CouncilAction.Finished>(s.Next()).Outcome;
        Assert.Equal("m2", outcome.Winner);
        Assert.Equal("revision 2 by m2", outcome.Answer);
        Assert.Equal(2, s.Round);
        Assert.Equal(CouncilEntryKind.Selected, s.Transcript[^1].Kind);
    }

    [Fact]
    public void Equal_scores_go_to_the_member_first_in_council_order()
    {
        var s = Run(CouncilDeliberation.Start(Council(rounds: 1), "write f"), Scripted(_ => 0.7));

        Assert.Equal("m1", s.Outcome!.Winner);
    }

    [Fact]
    public void Configured_rounds_bound_the_critique_and_revise_cycles()
    {
        var s = Run(CouncilDeliberation.Start(Council(members: 2, rounds: 3), "write f"), Scripted());

        Assert.Equal(3, s.Transcript.Count(e => e.Kind == CouncilEntryKind.Answer && e.Step == CouncilStep.Revise && e.Member == "m1"));
        Assert.Equal(1, s.Transcript.Count(e => e.Step == CouncilStep.Generate && e.Member == "m1"));
        Assert.NotNull(s.Outcome);
    }

    [Fact]
    public void All_critiques_approving_stop_the_council_early()
    {
        var s = Run(CouncilDeliberation.Start(Council(rounds: 3, consensus: CouncilConsensus.AllApprove), "write f"), Scripted(approve: true));

        Assert.True(s.ConsensusReached);
        Assert.DoesNotContain(s.Transcript, e => e.Step == CouncilStep.Revise);
        Assert.Contains(s.Transcript, e => e.Kind == CouncilEntryKind.Consensus);
        Assert.Equal("draft by m1", s.Outcome!.Answer);
    }

    [Fact]
    public void The_same_answer_from_every_member_stops_the_council_before_any_critique()
    {
        var s = Run(CouncilDeliberation.Start(Council(consensus: CouncilConsensus.SameAnswer), "write f"),
            r => r.Step == CouncilStep.Generate ? (r.Agent.Name == "m2" ? "  Return  X " : "return x") : null);

        Assert.True(s.ConsensusReached);
        Assert.DoesNotContain(s.Transcript, e => e.Step == CouncilStep.Critique);
        Assert.Equal("m1", s.Outcome!.Winner);
    }

    [Fact]
    public void Without_a_consensus_rule_every_round_runs()
    {
        var s = Run(CouncilDeliberation.Start(Council(rounds: 2), "write f"), Scripted(approve: true));

        Assert.False(s.ConsensusReached);
        Assert.Equal(2, s.Round);
    }

    [Fact]
    public void A_member_that_fails_is_dropped_and_recorded_and_the_others_go_on()
    {
        var s = Run(CouncilDeliberation.Start(Council(), "write f"),
            r => r.Agent.Name == "m2" && r.Step == CouncilStep.Critique ? "FAIL" : Scripted()(r));

        Assert.Equal(["m1", "m3"], s.Active);
        Assert.Equal("model failed", s.Dropped["m2"]);
        Assert.Contains(s.Transcript, e => e is { Kind: CouncilEntryKind.MemberFailed, Member: "m2", Step: CouncilStep.Critique });
        Assert.NotEqual("m2", s.Outcome!.Winner);
        Assert.DoesNotContain(s.Transcript, e => e.Step == CouncilStep.Revise && e.Member == "m2");
    }

    [Fact]
    public void An_unreadable_reply_counts_as_a_failure_of_its_member()
    {
        var schemaTask = Task with { OutputSchema = """{"type":"object","required":["function"]}""" };
        var s = CouncilDeliberation.Start(Council(), "write f");
        foreach (var r in ((CouncilAction.Ask)s.Next()).Requests)
            s = s.Apply(CouncilReplyReader.Read(r, r.Agent.Name == "m3" ? "no json" : """{"function": "f"}""", TaskReplies.KindOf(schemaTask), schemaTask.OutputSchema, s.Active));

        Assert.Equal(["m1", "m2"], s.Active);
        Assert.Contains("no JSON", s.Dropped["m3"]);
        Assert.Equal(CouncilStep.Critique, s.Step);
    }

    [Fact]
    public void Fewer_than_two_answers_fail_the_council_keeping_the_transcript()
    {
        var s = Run(CouncilDeliberation.Start(Council(), "write f"), r => r.Agent.Name == "m1" ? "draft" : "FAIL");

        var outcome = Assert.IsType<CouncilAction.Finished>(s.Next()).Outcome;
        Assert.False(outcome.Succeeded);
        Assert.Contains("fewer than two answers", outcome.Reason);
        Assert.Contains("m2: model failed", outcome.Reason);
        Assert.Equal(CouncilEntryKind.Failed, s.Transcript[^1].Kind);
        Assert.Equal(2, s.Transcript.Count(e => e.Kind == CouncilEntryKind.MemberFailed));
    }

    [Fact]
    public void The_selector_agent_picks_among_the_final_answers()
    {
        var s = Run(CouncilDeliberation.Start(Council(rounds: 1, selector: CouncilSelectorKind.Agent), "write f"),
            r => r.Step == CouncilStep.Select ? """{"winner": "m3", "reason": "clearest"}""" : Scripted(_ => 0.9)(r));

        Assert.Equal("m3", s.Outcome!.Winner);
        Assert.Contains("clearest", s.Outcome.Reason);
        var select = s.Transcript.Single(e => e.Kind == CouncilEntryKind.Selected);
        Assert.Equal(CouncilStep.Select, select.Step);
    }

    [Fact]
    public void A_selector_that_names_no_member_leaves_the_choice_to_the_rubric()
    {
        var s = Run(CouncilDeliberation.Start(Council(rounds: 1, selector: CouncilSelectorKind.Agent), "write f"),
            r => r.Step == CouncilStep.Select ? """{"winner": "nobody", "reason": "?"}""" : Scripted(t => t == "m2" ? 0.8 : 0.2)(r));

        Assert.Equal("m2", s.Outcome!.Winner);
        Assert.Contains(s.Transcript, e => e is { Kind: CouncilEntryKind.MemberFailed, Member: CouncilDeliberation.SelectorName });
        Assert.Contains("the selector failed", s.Outcome.Reason);
    }

    [Fact]
    public void Replaying_a_transcript_continues_where_it_stopped_without_repeating_a_step()
    {
        var partial = Run(CouncilDeliberation.Start(Council(), "write f"),
            r => r.Step == CouncilStep.Revise ? null : Scripted()(r)); // stops waiting for the first revisions

        var replayed = CouncilDeliberation.Replay(Council(), "write f", partial.Transcript);

        Assert.Equal(partial.Step, replayed.Step);
        Assert.Equal(CouncilStep.Revise, replayed.Step);
        Assert.Equal(partial.Answers, replayed.Answers);
        var pending = Assert.IsType<CouncilAction.Ask>(replayed.Next()).Requests;
        Assert.All(pending, r => Assert.Equal(CouncilStep.Revise, r.Step));
        Assert.Equal(partial.Next(), replayed.Next(), new ActionComparer());
    }

    [Fact]
    public void Entries_that_do_not_fit_the_current_step_change_nothing()
    {
        var s = CouncilDeliberation.Start(Council(), "write f");

        var stale = s.Apply(new CouncilEntry(CouncilEntryKind.Critique, CouncilStep.Critique, 1, "m1", "m2", "x", 0.5, true));
        var stranger = s.Apply(new CouncilEntry(CouncilEntryKind.Answer, CouncilStep.Generate, 1, "m9", Text: "x"));

        Assert.Same(s, stale);
        Assert.Same(s, stranger);
    }

    [Fact]
    public void Prompts_carry_the_language_line_and_respect_the_character_limit()
    {
        var context = SessionContext.Start(new ContextSettings(MaxChars: 400, Language: "Polish"));
        var s = CouncilDeliberation.Start(Council(), "write f " + new string('x', 2000), context);

        var requests = Assert.IsType<CouncilAction.Ask>(s.Next()).Requests;

        Assert.All(requests, r => Assert.True(r.Prompt.Length <= 400, $"{r.Prompt.Length} characters"));
        Assert.All(requests, r => Assert.Contains("Write your reply in Polish.", r.Prompt));
    }

    private sealed class ActionComparer : IEqualityComparer<CouncilAction>
    {
        public bool Equals(CouncilAction? x, CouncilAction? y) => (x, y) switch
        {
            (CouncilAction.Ask a, CouncilAction.Ask b) => a.Requests.SequenceEqual(b.Requests),
            _ => Equals(x, y),
        };

        public int GetHashCode(CouncilAction obj) => 0;
    }
}
