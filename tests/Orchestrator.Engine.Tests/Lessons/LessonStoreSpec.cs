using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Lessons;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Engine.Tests.Lessons;

public sealed class LessonStoreSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private IActorRef StartStore(LessonPolicy? policy = null, int snapshotEvery = 500) =>
        Sys.ActorOf(LessonStore.Props(policy ?? LessonPolicy.Default with { MinRelevance = 0.1 }, new LessonStoreOptions(snapshotEvery)));

    private T Ask<T>(IActorRef store, object message)
    {
        store.Tell(message, TestActor);
        return ExpectMsg<T>(Deadline);
    }

    private static RecordLesson Candidate(string kind, string wrong, string fix) =>
        new(kind, wrong, fix, Lesson.FromFailure, 1, "s1", "t1", DateTimeOffset.UtcNow);

    [Fact]
    public void Lessons_are_ranked_by_relevance_and_survive_a_restart_with_their_index()
    {
        var store = StartStore(snapshotEvery: 2);
        Ask<LessonAccepted>(store, Candidate("review", "the json reply lacked a score field", "replied with a score between 0 and 1"));
        Ask<LessonAccepted>(store, Candidate("summary", "summary was far too long", "kept it under 100 words"));
        Ask<LessonAccepted>(store, Candidate("review", "cited pages that do not exist", "quoted only from the manuscript"));
        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store, Deadline);

        var again = StartStore(snapshotEvery: 2);
        var found = Ask<LessonsFound>(again, new FindLessons("review", "Score the manuscript; reply with JSON holding a score field.", 2));

        Assert.Equal("lesson-1", found.Lessons[0].Lesson.Id);
        Assert.True(found.Lessons.Count <= 2);
        Assert.All(found.Lessons, l => Assert.True(l.Score > 0));
        Assert.Equal(3, Ask<LessonList>(again, new ListLessons()).Total);
        Assert.Equal("lesson-4", Ask<LessonAccepted>(again, Candidate("x", "another failure here", "another fix there")).Lesson.Id);
    }

    [Fact]
    public void A_deleted_lesson_is_never_offered_again()
    {
        var store = StartStore();
        Ask<LessonAccepted>(store, Candidate("review", "the json reply lacked a score field", "replied with a score"));
        Assert.IsType<LessonDeleted>(Ask<LessonDeleted>(store, new DeleteLesson("lesson-1")));
        Ask<LessonNotFound>(store, new DeleteLesson("lesson-1"));
        Assert.Empty(Ask<LessonsFound>(store, new FindLessons("review", "json score field", 3)).Lessons);
        Assert.Equal(0, Ask<LessonList>(store, new ListLessons()).Total);
    }

    [Fact]
    public void A_candidate_that_misses_the_criteria_is_refused_and_one_told_by_a_session_gets_no_answer()
    {
        var store = StartStore(new LessonPolicy(MinFailures: 2));
        Assert.Contains("at least 2", Ask<LessonRefused>(store, Candidate("k", "went wrong badly", "fixed it nicely")).Reason);

        store.Tell(Candidate("k", "went wrong badly", "fixed it nicely") with { Failures = 3 }, ActorRefs.NoSender);
        AwaitAssert(() => Assert.Equal(1, Ask<LessonList>(store, new ListLessons()).Total), Deadline);
    }

    [Fact]
    public void Lessons_of_another_kind_below_the_minimum_relevance_are_not_offered()
    {
        var store = StartStore(LessonPolicy.Default with { MinRelevance = 1000 });
        Ask<LessonAccepted>(store, Candidate("review", "the json reply lacked a score field", "replied with a score"));
        Assert.Empty(Ask<LessonsFound>(store, new FindLessons("scoring", "json score field", 3)).Lessons);
        Assert.Single(Ask<LessonsFound>(store, new FindLessons("review", "json score field", 3)).Lessons);
    }
}
