using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Tests.Sessions;

public class SessionStateSpec
{
    private static readonly WorkflowTemplate Diamond = Template(null,
        Node("read"), Node("style", deps: "read"), Node("plot", deps: "read"), Node("report", deps: ["style", "plot"]));

    [Fact]
    public void Start_persists_created_and_plan_together_and_keeps_the_template_content()
    {
        var (state, events) = Started(Diamond);

        Assert.Collection(events, e => Assert.IsType<SessionCreated>(e), e => Assert.IsType<PlanAccepted>(e));
        Assert.Equal(SessionLifecycle.Running, state.Lifecycle);
        Assert.Equal(4, ((SessionCreated)events[0]).Workflow.Nodes.Count);
        Assert.Equal(["read"], state.Ready.Select(r => r.TaskId.Value));
    }

    [Fact]
    public void Invalid_template_is_rejected_with_every_problem_and_nothing_persisted()
    {
        var bad = Template(null, Node("a", deps: "b"), Node("b", deps: "a"), Node("c", deps: "ghost"));
        var result = SessionState.Empty("s1").Decide(new StartSession("s1", "t", new Dictionary<string, string>()),
            new Dictionary<string, WorkflowTemplate> { ["t"] = bad }, T0);

        Assert.Empty(result.Events);
        var rejected = Assert.IsType<SessionRejected>(result.Reply);
        Assert.Contains(rejected.Problems, p => p.Contains("cycle: a → b → a"));
        Assert.Contains(rejected.Problems, p => p.Contains("'ghost'"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    public void Unsafe_session_ids_are_rejected(string id)
    {
        var result = SessionState.Empty(id).Decide(new StartSession(id, "t", new Dictionary<string, string>()),
            new Dictionary<string, WorkflowTemplate> { ["t"] = Diamond }, T0);
        Assert.IsType<SessionRejected>(result.Reply);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Unknown_session_answers_not_found_and_creates_nothing()
    {
        var result = SessionState.Empty("nobody").Decide(new GetSessionStatus("nobody"), T0);
        Assert.IsType<SessionNotFound>(result.Reply);
        Assert.Empty(result.Events);
        Assert.IsType<SessionNotFound>(SessionState.Empty("nobody").Decide(new PauseSession("nobody"), T0).Reply);
    }

    [Fact]
    public void Starting_again_with_the_same_template_is_idempotent()
    {
        var (state, _) = Started(Diamond);
        var again = state.Decide(new StartSession("s1", "t", new Dictionary<string, string>()),
            new Dictionary<string, WorkflowTemplate> { ["t"] = Diamond }, T0);
        Assert.Empty(again.Events);
        Assert.IsType<SessionStarted>(again.Reply);
    }

    [Fact]
    public void Starting_again_with_other_inputs_or_another_template_is_a_conflict_naming_what_differs()
    {
        var (state, _) = Started(Diamond);
        var library = new Dictionary<string, WorkflowTemplate> { ["t"] = Diamond, ["u"] = Diamond with { Name = "u" } };

        var otherInputs = state.Decide(new StartSession("s1", "t", new Dictionary<string, string> { ["TOPIC"] = "dunes" }), library, T0);
        var otherTemplate = state.Decide(new StartSession("s1", "u", new Dictionary<string, string>()), library, T0);

        Assert.Empty(otherInputs.Events);
        var inputs = Assert.IsType<SessionRejected>(otherInputs.Reply);
        Assert.True(inputs.Conflict);
        Assert.Contains("these differ: TOPIC", Assert.Single(inputs.Problems));
        Assert.Empty(otherTemplate.Events);
        var template = Assert.IsType<SessionRejected>(otherTemplate.Reply);
        Assert.True(template.Conflict);
        Assert.Contains("template 't', not 'u'", Assert.Single(template.Problems));
    }

    [Fact]
    public void Pause_stops_dispatching_resume_restarts_it_and_cancel_ends_the_session()
    {
        var (state, _) = Started(Diamond);

        var paused = state.Decide(new PauseSession("s1"), T0);
        state = state.ApplyAll(paused.Events);
        Assert.Equal(SessionLifecycle.Paused, Assert.IsType<SessionStatus>(paused.Reply).Lifecycle);
        Assert.Empty(GrantingNode.Next(state, new NodeContext(10, T0)).Dispatches);
        Assert.Empty(state.Decide(new PauseSession("s1"), T0).Events);

        state = state.ApplyAll(state.Decide(new ResumeSession("s1"), T0).Events);
        Assert.Single(GrantingNode.Next(state, new NodeContext(10, T0)).Dispatches);

        state = state.ApplyAll(state.Decide(new CancelSession("s1", "user asked"), T0).Events);
        Assert.Equal(SessionLifecycle.Cancelled, state.Lifecycle);
        Assert.Equal("user asked", state.EndReason);
        Assert.Empty(GrantingNode.Next(state, new NodeContext(10, T0)).Dispatches);
        Assert.IsType<SessionRejected>(state.Decide(new ResumeSession("s1"), T0).Reply);
    }

    [Fact]
    public void A_cancelled_session_shows_no_task_in_flight_and_takes_no_late_outcome()
    {
        var (state, _) = Started(Diamond);
        (state, _) = Step(state, T0);
        Assert.Equal(1, state.ToStatus().InFlight);
        var late = Success(state, "read", T0);

        state = state.ApplyAll(state.Decide(new CancelSession("s1", "user asked"), T0).Events);

        Assert.Equal(0, state.ToStatus().InFlight);
        Assert.DoesNotContain(state.ToDetail().Tasks, t => t.State == TaskRunState.Dispatched);
        Assert.False(state.Accepts(late));
    }

    [Fact]
    public void Completed_tasks_never_run_again()
    {
        var (state, _) = Started(Diamond);
        (state, var step) = Step(state, T0);
        state = state.Apply(Success(state, "read", T0));

        var again = state.Apply(new TaskDispatched(SessionId.Parse("s1"), TaskId.Parse("read"), 2, "analyst", T0));
        Assert.Equal(TaskRunState.Succeeded, again.Tasks[TaskId.Parse("read")].State);
        (state, step) = Step(state, T0);
        Assert.DoesNotContain("read", step.Dispatches.Select(d => d.TaskId.Value));
        Assert.Equal(["style", "plot"], step.Dispatches.Select(d => d.TaskId.Value).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public void Dispatched_but_unfinished_task_is_dispatched_again_after_replay()
    {
        var (state, events) = Started(Diamond);
        var (afterDispatch, step) = Step(state, T0);
        var journal = events.Concat(step.Events).ToList();

        var replayed = SessionState.Empty("s1").ApplyAll(journal).RequeueInFlight();
        var next = GrantingNode.Next(replayed, new NodeContext(10, T0.AddSeconds(5)));

        var redispatch = Assert.Single(next.Dispatches);
        Assert.Equal(("read", 2), (redispatch.TaskId.Value, redispatch.Attempt));
        var after = replayed.Apply(redispatch);
        Assert.Equal(0, after.SessionRetriesUsed);
        Assert.Equal(0, after.Tasks[TaskId.Parse("read")].Failures);
        // A replay of the journal with both dispatches and no outcome gives the same state.
        var replayedTwice = SessionState.Empty("s1").ApplyAll([.. journal, redispatch]);
        Assert.Equal(Canonical(after), Canonical(replayedTwice));
        Assert.Equal(afterDispatch.Tasks[TaskId.Parse("read")].State, replayedTwice.Tasks[TaskId.Parse("read")].State);
    }

    [Fact]
    public void Outcome_of_an_earlier_attempt_changes_nothing()
    {
        var (state, _) = Started(Diamond);
        (state, _) = Step(state, T0);
        state = state.RequeueInFlight();
        (state, _) = Step(state, T0);
        var stale = new TaskSucceeded(SessionId.Parse("s1"), TaskId.Parse("read"), 1, "late", 1, TimeSpan.Zero, T0);

        Assert.False(state.Accepts(stale));
        Assert.Same(state, state.Apply(stale));
        Assert.True(state.Accepts(Success(state, "read", T0)));
    }

    [Fact]
    public void Failed_task_is_retried_after_back_off_then_fails_for_good_and_its_dependents_are_skipped()
    {
        var template = Template(new SessionSettingsSpec(RetryBaseDelay: TimeSpan.FromSeconds(2)),
            Node("read", retries: 1), Node("style", deps: "read"), Node("report", deps: "style"));
        var (state, _) = Started(template);
        (state, _) = Step(state, T0);

        state = state.Apply(Failure(state, "read", T0));
        Assert.Equal(TaskRunState.RetryWaiting, state.Tasks[TaskId.Parse("read")].State);
        Assert.Equal(T0.AddSeconds(2), state.Tasks[TaskId.Parse("read")].RetryAt);
        var early = GrantingNode.Next(state, new NodeContext(10, T0.AddSeconds(1)));
        Assert.Empty(early.Dispatches);
        Assert.Equal(T0.AddSeconds(2), early.WakeAt);
        Assert.Equal(1, early.Record.HeldBackCounts[HeldBackReasons.BackOff]);

        (state, var retry) = Step(state, T0.AddSeconds(2));
        Assert.Equal(2, Assert.Single(retry.Dispatches).Attempt);
        state = state.Apply(Failure(state, "read", T0.AddSeconds(3)));
        Assert.Equal(TaskRunState.Failed, state.Tasks[TaskId.Parse("read")].State);

        (state, var skip) = Step(state, T0.AddSeconds(3));
        Assert.Equal(["style", "report"], skip.Skips.Select(s => s.TaskId.Value));
        Assert.Contains("input 'read' failed: model said no", skip.Skips[0].Reason);
        Assert.Equal("input 'style' skipped", skip.Skips[1].Reason);
        Assert.True(state.IsDagDone);
        Assert.Empty(state.PendingSkips);
    }

    [Fact]
    public void Non_retryable_failure_is_final_at_once()
    {
        var (state, _) = Started(Template(null, Node("read", retries: 5)));
        (state, _) = Step(state, T0);
        state = state.Apply(Failure(state, "read", T0, retryable: false));
        Assert.Equal(TaskRunState.Failed, state.Tasks[TaskId.Parse("read")].State);
    }

    [Fact]
    public void Session_retry_limit_caps_retries_across_tasks()
    {
        var template = Template(new SessionSettingsSpec(MaxSessionRetries: 1, RetryBaseDelay: TimeSpan.Zero),
            Node("a", retries: 3), Node("b", retries: 3));
        var (state, _) = Started(template);
        (state, _) = Step(state, T0);
        state = state.Apply(Failure(state, "a", T0)).Apply(Failure(state, "b", T0));

        Assert.Equal(TaskRunState.RetryWaiting, state.Tasks[TaskId.Parse("a")].State);
        Assert.Equal(TaskRunState.Failed, state.Tasks[TaskId.Parse("b")].State);
    }

    [Fact]
    public void Snapshot_gives_back_the_same_state()
    {
        var (state, _) = Started(Diamond);
        (state, _) = Step(state, T0);
        state = state.Apply(Success(state, "read", T0));
        (state, _) = Step(state, T0);

        var restored = SessionState.FromSnapshot(state.ToSnapshot());

        Assert.Equal(Canonical(state), Canonical(restored));
        Assert.Equal(state.InFlight.Order(), restored.InFlight.Order());
        Assert.Equal(state.Dependents[TaskId.Parse("read")], restored.Dependents[TaskId.Parse("read")]);
    }
}
