using Orchestrator.Core.Ids;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Tests.Sessions;

public sealed class SessionIndexSpec
{
    private static ResolvedWorkflow Workflow(string name) => new(name, [name], [], SessionSettings.Defaults, new Dictionary<string, string>());

    private static SessionCreated Created(string id, string template, int minutes) =>
        new(SessionId.Parse(id), Workflow(template), new Dictionary<string, string>(), T0.AddMinutes(minutes));

    /// <summary>Sessions s0..s(n-1), created a minute apart, templates alternating a and b; even ones completed.</summary>
    private static SessionIndex Many(int n)
    {
        var index = new SessionIndex();
        for (var i = 0; i < n; i++)
        {
            index = index.Apply($"s{i}", 1, Created($"s{i}", i % 2 == 0 ? "a" : "b", i));
            if (i % 2 == 0) index = index.Apply($"s{i}", 9, new SessionCompleted(SessionId.Parse($"s{i}"), 0.9, "quality reached", T0.AddMinutes(i + 1)));
        }
        return index;
    }

    private static SessionList Page(SessionIndex index, ListSessions query) => Assert.IsType<SessionList>(index.Query(query));

    [Fact]
    public void Sessions_are_listed_newest_first_with_their_lifecycle()
    {
        var list = Page(Many(3), new ListSessions());
        Assert.Equal(["s2", "s1", "s0"], list.Sessions.Select(s => s.SessionId));
        Assert.Equal(SessionLifecycle.Completed, list.Sessions[0].Lifecycle);
        Assert.Equal(SessionLifecycle.Running, list.Sessions[1].Lifecycle);
        Assert.Equal("quality reached", list.Sessions[0].EndReason);
        Assert.Null(list.Next);
    }

    [Fact]
    public void Pages_follow_each_other_without_gaps_or_repeats()
    {
        var index = Many(25);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = Page(index, new ListSessions(Limit: 10, After: cursor));
            seen.AddRange(page.Sessions.Select(s => s.SessionId));
            cursor = page.Next;
            pages++;
        } while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"s{i}"), seen);
    }

    [Fact]
    public void Filters_by_lifecycle_and_template_combine()
    {
        var index = Many(10);
        Assert.All(Page(index, new ListSessions(Lifecycle: "completed")).Sessions, s => Assert.Equal(SessionLifecycle.Completed, s.Lifecycle));
        Assert.Equal(5, Page(index, new ListSessions(Lifecycle: "RUNNING")).Sessions.Count);
        Assert.Equal(5, Page(index, new ListSessions(Template: "a")).Sessions.Count);
        Assert.Empty(Page(index, new ListSessions(Lifecycle: "running", Template: "a")).Sessions);
        var filteredPage = Page(index, new ListSessions(Template: "b", Limit: 2));
        Assert.Equal(["s9", "s7"], filteredPage.Sessions.Select(s => s.SessionId));
        Assert.Equal(["s5", "s3"], Page(index, new ListSessions(Template: "b", Limit: 2, After: filteredPage.Next)).Sessions.Select(s => s.SessionId));
    }

    [Fact]
    public void A_bad_query_is_refused_with_every_problem()
    {
        var refused = Assert.IsType<SessionListRefused>(Many(1).Query(new ListSessions(Lifecycle: "sleeping", Limit: 0, After: "nonsense")));
        Assert.Equal(3, refused.Problems.Count);
        Assert.Contains(refused.Problems, p => p.Contains("sleeping"));
        Assert.Contains(refused.Problems, p => p.Contains("limit 0"));
        Assert.Contains(refused.Problems, p => p.Contains("nonsense"));
        Assert.IsType<SessionListRefused>(Many(1).Query(new ListSessions(Lifecycle: "new")));
    }

    [Fact]
    public void An_event_seen_again_or_older_than_what_was_applied_changes_nothing()
    {
        var index = new SessionIndex()
            .Apply("s1", 1, Created("s1", "a", 0))
            .Apply("s1", 5, new SessionCompleted(SessionId.Parse("s1"), 0.8, "done", T0.AddMinutes(1)));
        var again = index
            .Apply("s1", 1, Created("s1", "a", 0))
            .Apply("s1", 3, new SessionPaused(SessionId.Parse("s1"), T0))
            .Apply("s1", 5, new SessionCompleted(SessionId.Parse("s1"), 0.8, "done", T0.AddMinutes(1)));
        Assert.Equal(SessionLifecycle.Completed, Page(again, new ListSessions()).Sessions.Single().Lifecycle);
        Assert.Equal(1, again.Count);
    }

    [Fact]
    public void Iterations_and_the_best_score_are_followed()
    {
        var metrics = new IterationMetrics(1, 0.6, null, 3, 0, 100, TimeSpan.FromSeconds(1));
        var index = new SessionIndex()
            .Apply("s1", 1, Created("s1", "a", 0))
            .Apply("s1", 7, new IterationCompleted(SessionId.Parse("s1"), metrics, null, new Dictionary<string, double>(), T0))
            .Apply("s1", 8, new IterationStarted(SessionId.Parse("s1"), 2, [TaskId.Parse("x")], new Dictionary<TaskId, string>(), T0))
            .Apply("s1", 9, new SessionPaused(SessionId.Parse("s1"), T0.AddMinutes(3)));
        var s = Page(index, new ListSessions()).Sessions.Single();
        Assert.Equal((2, 0.6, SessionLifecycle.Paused, T0.AddMinutes(3)), (s.Iteration, s.BestScore!.Value, s.Lifecycle, s.UpdatedAt));
    }

    [Fact]
    public void Events_of_a_session_whose_creation_was_not_seen_are_ignored() =>
        Assert.Equal(0, new SessionIndex().Apply("s1", 4, new SessionPaused(SessionId.Parse("s1"), T0)).Count);
}
