using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>A session's detail in pages that each fit a remoting frame: read page after page from <c>NextTask</c>, they
/// hold every task once, in plan order, each page within its size unless it holds a single task.</summary>
public class SessionDetailPagesSpec
{
    private static SessionState Running(int tasks)
    {
        var template = Template(null, Enumerable.Range(0, tasks).Select(i => Node($"task-{i:000}", deps: i == 0 ? [] : [$"task-{i - 1:000}"])).ToArray())
            with
        { Variables = [new WorkflowVariable("TOPIC")] };
        var result = SessionState.Empty("s1").Decide(
            new StartSession("s1", template.Name, new Dictionary<string, string> { ["TOPIC"] = "lighthouses" }),
            new Dictionary<string, WorkflowTemplate> { [template.Name] = template }, T0);
        Assert.IsType<SessionStarted>(result.Reply);
        return SessionState.Empty("s1").ApplyAll(result.Events);
    }

    private static List<SessionDetail> Pages(SessionState state, ReplyPageSize size)
    {
        var pages = new List<SessionDetail> { Page(state, 0, size) };
        while (pages[^1].NextTask is { } next)
            pages.Add(Page(state, next, size));
        return pages;
    }

    private static SessionDetail Page(SessionState state, int firstTask, ReplyPageSize size) =>
        Assert.IsType<SessionDetail>(state.Decide(new GetSessionDetail("s1", firstTask), size).Reply);

    [Fact]
    public void Pages_hold_every_task_once_in_plan_order_each_within_its_size()
    {
        var state = Running(300);
        var size = new ReplyPageSize(5_000);

        var pages = Pages(state, size);

        Assert.True(pages.Count > 10, $"{pages.Count} pages");
        Assert.Equal(state.ToDetail().Tasks, pages.SelectMany(p => p.Tasks));
        Assert.All(pages, p => Assert.True(p.Tasks.Sum(DetailChars.Of) + DetailChars.Of(p.Inputs) <= size.MaxChars));
        Assert.Null(pages[^1].NextTask);
    }

    [Fact]
    public void The_inputs_come_with_the_first_page_only()
    {
        var pages = Pages(Running(100), new ReplyPageSize(5_000));

        Assert.Equal("lighthouses", pages[0].Inputs["TOPIC"]);
        Assert.All(pages.Skip(1), p => Assert.Empty(p.Inputs));
    }

    [Fact]
    public void A_task_larger_than_a_page_comes_alone_on_its_own()
    {
        var pages = Pages(Running(3), new ReplyPageSize(10));

        Assert.Equal([1, 1, 1], pages.Select(p => p.Tasks.Count));
    }

    [Fact]
    public void A_session_that_fits_answers_in_one_page_and_the_default_is_one_page_whatever_the_size()
    {
        var state = Running(300);

        Assert.Null(Assert.Single(Pages(state, ReplyPageSize.ForFrame(4 * 1024 * 1024))).NextTask);
        Assert.Equal(300, state.ToDetail().Tasks.Count);
        Assert.Null(state.ToDetail().NextTask);
    }

    [Fact]
    public void A_first_task_out_of_range_gives_an_empty_last_page_and_a_negative_one_reads_as_the_first()
    {
        var state = Running(5);

        var beyond = Page(state, 99, ReplyPageSize.Unlimited);
        var negative = Page(state, -3, ReplyPageSize.Unlimited);

        Assert.Empty(beyond.Tasks);
        Assert.Null(beyond.NextTask);
        Assert.Equal(state.ToDetail().Tasks, negative.Tasks);
        Assert.Equal("lighthouses", negative.Inputs["TOPIC"]);
    }

    [Fact]
    public void A_session_with_no_event_answers_not_found()
    {
        Assert.IsType<SessionNotFound>(SessionState.Empty("nobody").Decide(new GetSessionDetail("nobody"), ReplyPageSize.Unlimited).Reply);
    }

    [Fact]
    public void A_subscriber_gets_the_first_page_then_each_task_beyond_it_as_a_change()
    {
        var state = Running(100).Apply(new SessionEvents.SessionCancelled(SessionId.Parse("s1"), "enough", T0));

        var notices = SessionNotices.OnSubscribe(state, new ReplyPageSize(5_000));

        var subscribed = Assert.IsType<SessionSubscribed>(notices[0]);
        Assert.NotNull(subscribed.Detail.NextTask);
        var changed = notices.Skip(1).SkipLast(1).Cast<TaskChanged>().Select(c => c.Task);
        Assert.Equal(state.ToDetail().Tasks, subscribed.Detail.Tasks.Concat(changed));
        Assert.Equal(subscribed.Detail, Assert.IsType<SessionEnded>(notices[^1]).Detail);
    }
}
