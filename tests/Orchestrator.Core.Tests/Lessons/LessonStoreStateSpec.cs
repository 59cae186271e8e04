using Orchestrator.Core.Contracts;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Core.Tests.Lessons;

public class LessonStoreStateSpec
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static RecordLesson Candidate(string wrong = "reply had no score field", string fix = "answered with {\"score\": 0.8}",
        string trigger = Lesson.FromFailure, int failures = 1, string kind = "review") =>
        new(kind, wrong, fix, trigger, failures, "s1", "t1", T0);

    private static (LessonStoreState, object?) Run(LessonStoreState state, CommandResult d) => (state.ApplyAll(d.Events), d.Reply);

    [Theory]
    [InlineData(Lesson.FromFailure, 0, "at least 1")]
    [InlineData("luck", 1, "unknown trigger")]
    public void A_candidate_that_misses_a_criterion_is_refused_with_it(string trigger, int failures, string reason)
    {
        var d = LessonStoreState.Empty.Decide(Candidate(trigger: trigger, failures: failures), LessonPolicy.Default, T0);
        Assert.Empty(d.Events);
        Assert.Contains(reason, Assert.IsType<LessonRefused>(d.Reply).Reason);
    }

    [Fact]
    public void The_criteria_are_configurable()
    {
        var strict = new LessonPolicy(MinFailures: 2, FromCritiques: false, MinTextChars: 30);
        Assert.Contains("at least 2", Assert.IsType<LessonRefused>(LessonStoreState.Empty.Decide(Candidate(), strict, T0).Reply).Reason);
        Assert.Contains("critiques", Assert.IsType<LessonRefused>(LessonStoreState.Empty.Decide(Candidate(trigger: Lesson.FromCritique), strict, T0).Reply).Reason);
        Assert.Contains("fewer than 30", Assert.IsType<LessonRefused>(LessonStoreState.Empty.Decide(Candidate(failures: 2), strict, T0).Reply).Reason);
        Assert.IsType<LessonAccepted>(LessonStoreState.Empty.Decide(Candidate(failures: 2), LessonPolicy.Default, T0).Reply);
    }

    [Fact]
    public void A_kept_lesson_is_an_excerpt_and_the_same_lesson_is_not_kept_twice()
    {
        var policy = new LessonPolicy(ExcerptChars: 20);
        var (state, reply) = Run(LessonStoreState.Empty, LessonStoreState.Empty.Decide(Candidate(fix: new string('x', 100) + "\n  tail"), policy, T0));
        var lesson = Assert.IsType<LessonAccepted>(reply).Lesson;
        Assert.Equal("lesson-1", lesson.Id);
        Assert.Equal(20, lesson.WhatFixedIt.Length);
        Assert.Contains("already kept", Assert.IsType<LessonRefused>(state.Decide(Candidate(fix: new string('x', 100) + " tail"), policy, T0).Reply).Reason);
    }

    [Fact]
    public void A_full_store_forgets_its_oldest_lessons()
    {
        var policy = new LessonPolicy(MaxLessons: 2);
        var state = LessonStoreState.Empty;
        for (var i = 0; i < 4; i++) (state, _) = Run(state, state.Decide(Candidate(wrong: $"failure number {i}"), policy, T0));
        Assert.Equal(["lesson-3", "lesson-4"], state.Lessons.Values.Select(l => l.Id));
    }

    [Fact]
    public void A_list_carries_what_fits_its_page_and_read_on_before_its_last_lesson_holds_every_lesson_asked_for()
    {
        var state = LessonStoreState.Empty;
        for (var i = 0; i < 30; i++)
            (state, _) = Run(state, state.Decide(Candidate(wrong: $"reply {i} had no score field", fix: $"answered {i} with a score"), LessonPolicy.Default, T0));
        var size = new ReplyPageSize(1_000);

        var ids = new List<string>();
        var pages = 0;
        while (ids.Count < 25)
        {
            var page = state.List(ids.Count == 0
                ? new LessonQueries.ListLessons(Offset: 2, Limit: 25)
                : new LessonQueries.ListLessons(Limit: 25 - ids.Count, Before: ids[^1]), size);
            Assert.Equal(pages == 0 ? 30 : 31, page.Total);
            Assert.True(page.Lessons.Count == 1 || page.Lessons.Sum(LessonStoreState.CharsOf) <= size.MaxChars);
            ids.AddRange(page.Lessons.Select(l => l.Id));
            if (pages++ == 0) // a lesson learned between two pages shifts nothing: the next page reads on before the last one read
                (state, _) = Run(state, state.Decide(Candidate(wrong: "a newer failure", fix: "a newer fix"), LessonPolicy.Default, T0));
        }

        Assert.Equal(Enumerable.Range(4, 25).Reverse().Select(i => $"lesson-{i}"), ids);
        Assert.True(pages > 3, $"{pages} pages");
        Assert.Equal(25, state.List(new LessonQueries.ListLessons(Offset: 2, Limit: 25)).Lessons.Count); // no size: all asked for
        Assert.Empty(state.List(new LessonQueries.ListLessons(Before: "nonsense")).Lessons); // names no lesson: none is older
    }

    [Fact]
    public void Lessons_are_listed_newest_first_deleted_by_id_and_survive_a_snapshot()
    {
        var state = LessonStoreState.Empty;
        (state, _) = Run(state, state.Decide(Candidate(kind: "a"), LessonPolicy.Default, T0));
        (state, _) = Run(state, state.Decide(Candidate(kind: "b"), LessonPolicy.Default, T0));
        (state, _) = Run(state, state.Decide(Candidate(kind: "a", wrong: "something else broke"), LessonPolicy.Default, T0));

        Assert.Equal(["lesson-3", "lesson-2", "lesson-1"], state.List(new LessonQueries.ListLessons()).Lessons.Select(l => l.Id));
        var ofA = state.List(new LessonQueries.ListLessons("a", Limit: 1));
        Assert.Equal((2, "lesson-3"), (ofA.Total, ofA.Lessons.Single().Id));

        (state, var deleted) = Run(state, state.Decide(new DeleteLesson("lesson-2"), T0));
        Assert.IsType<LessonDeleted>(deleted);
        Assert.IsType<LessonNotFound>(state.Decide(new DeleteLesson("lesson-2"), T0).Reply);
        Assert.IsType<LessonNotFound>(state.Decide(new DeleteLesson("nonsense"), T0).Reply);

        var back = state.ToSnapshot().ToState();
        Assert.Equal(state.Lessons.Values, back.Lessons.Values);
        Assert.Equal(4, back.NextNumber);
        Assert.IsType<LessonRefused>(back.Decide(Candidate(kind: "a"), LessonPolicy.Default, T0).Reply); // fingerprints came back too
    }
}

internal static class LessonStateExtensions
{
    internal static LessonStoreState ApplyAll(this LessonStoreState state, IEnumerable<Orchestrator.Core.Messaging.IPersistedEvent> events) =>
        events.Aggregate(state, (s, e) => s.Apply(e));
}
