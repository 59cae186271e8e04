using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionReplies;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>What a session's subscribers hear, from its state: its picture on subscribing, each task a write changed,
/// and its end once.</summary>
public class SessionNoticesSpec
{
    private static readonly WorkflowTemplate Chain = Template(null, Node("read"), Node("write", deps: "read"));

    [Fact]
    public void A_session_with_no_event_answers_not_found()
    {
        Assert.Equal([new SessionNotFound("nobody")], SessionNotices.OnSubscribe(SessionState.Empty("nobody")));
    }

    [Fact]
    public void Subscribing_to_a_running_session_gives_its_picture_and_to_an_ended_one_its_end_too()
    {
        var (running, _) = Started(Chain);
        var subscribed = Assert.IsType<SessionSubscribed>(Assert.Single(SessionNotices.OnSubscribe(running)));
        Assert.Equal(["read", "write"], subscribed.Detail.Tasks.Select(t => t.Id));

        var cancelled = running.Apply(new SessionCancelled(SessionId.Parse("s1"), "enough", T0));
        Assert.Collection(SessionNotices.OnSubscribe(cancelled),
            n => Assert.IsType<SessionSubscribed>(n),
            n => Assert.Equal(SessionLifecycle.Cancelled, Assert.IsType<SessionEnded>(n).Detail.Status.Lifecycle));
    }

    [Fact]
    public void A_write_gives_a_notice_for_each_task_it_changed_and_none_for_the_others()
    {
        var (started, _) = Started(Chain);
        var (dispatched, _) = Step(started, T0);

        var changed = Assert.IsType<TaskChanged>(Assert.Single(SessionNotices.Between(started, dispatched)));
        Assert.Equal(("read", TaskRunState.Dispatched, 1), (changed.Task.Id, changed.Task.State, changed.Task.Attempt));
        Assert.Empty(SessionNotices.Between(dispatched, dispatched));

        var done = dispatched.Apply(Success(dispatched, "read", T0));
        Assert.Equal([("read", TaskRunState.Succeeded), ("write", TaskRunState.Ready)],
            SessionNotices.Between(dispatched, done).Cast<TaskChanged>().Select(n => (n.Task.Id, n.Task.State)));
        Assert.Equal("output of read", SessionNotices.Between(dispatched, done).Cast<TaskChanged>().First().Task.Output);
    }

    [Fact]
    public void The_write_that_ends_the_session_sends_its_end_with_every_output_once()
    {
        var (started, _) = Started(Chain);
        var (dispatched, _) = Step(started, T0);
        var done = dispatched.Apply(Success(dispatched, "read", T0));
        var completed = done.Apply(new SessionCompleted(SessionId.Parse("s1"), 0.9, "quality reached", T0));

        var ended = Assert.IsType<SessionEnded>(Assert.Single(SessionNotices.Between(done, completed)));
        Assert.Equal(SessionLifecycle.Completed, ended.Detail.Status.Lifecycle);
        Assert.Equal("output of read", ended.Detail.Tasks.Single(t => t.Id == "read").Output);
        Assert.DoesNotContain(SessionNotices.Between(completed, completed.Apply(new SessionCancelled(SessionId.Parse("s1"), "late", T0))), n => n is SessionEnded);
    }
}
