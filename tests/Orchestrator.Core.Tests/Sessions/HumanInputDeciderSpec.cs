using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Steps;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>A human node: its question is put to a person when it is ready (no dispatch, no slot, no model), an answer
/// completes or fails it as any task's outcome, an answer that does not fit is refused with nothing written, and a
/// deadline applies the node's default action.</summary>
public class HumanInputDeciderSpec
{
    private const string Schema = """{"type": "object", "required": ["pages"], "properties": {"pages": {"type": "integer", "minimum": 1}}}""";

    private static WorkflowTemplate Review(HumanInputSpec human) => Template(null,
        Node("draft"),
        new WorkflowNode("review", "", "Approve this draft? {output.draft}", ["draft"], Human: human),
        new WorkflowNode("final", "writer", "Finish with {output.review}", ["review"]),
        Node("side"));

    /// <summary>A session whose draft succeeded, stepped once: the review waits for its answer.</summary>
    private static SessionState Waiting(HumanInputSpec human, DateTimeOffset? at = null)
    {
        var (state, _) = Started(Review(human));
        state = GrantingNode.Plan(state, [], 1000, T0).State;
        var step = GrantingNode.Plan(state, [Success(state, "draft", T0)], 1000, at ?? T0);
        return step.State;
    }

    private static (SessionState State, IReadOnlyList<IPersistedEvent> Events, ISessionReply Reply) Answer(
        SessionState state, bool? approve = null, string? reject = null, string? value = null, string task = "review")
    {
        var result = state.Decide(new AnswerHumanInput(state.SessionId, task, approve, reject, value), T0.AddMinutes(1));
        return (result.State, result.Events, (ISessionReply)result.Reply!);
    }

    [Fact]
    public void A_human_node_asks_nothing_of_the_models_a_session_is_held_to_at_its_start()
    {
        var (state, _) = Started(Review(new HumanInputSpec(HumanAnswerKind.Approve)));
        var serving = ServingModels.Starting(["big"], new Dictionary<string, string> { ["writer"] = "big", ["analyst"] = "big" }) with
        {
            Local = new Dictionary<string, ModelServing> { ["big"] = ModelServing.Serving },
        };

        Assert.Empty(SessionServingCheck.Problems(state.Workflow!, serving));
    }

    [Fact]
    public void A_ready_human_node_asks_its_question_with_its_inputs_and_takes_no_dispatch()
    {
        var (state, _) = Started(Review(new HumanInputSpec(HumanAnswerKind.Approve, Timeout: TimeSpan.FromMinutes(10))));
        state = GrantingNode.Plan(state, [], 1000, T0).State;

        var step = GrantingNode.Plan(state, [Success(state, "draft", T0)], 1000, T0);

        var asked = Assert.Single(step.Events.OfType<HumanInputRequested>());
        Assert.Equal("review", asked.TaskId.Value);
        Assert.Equal("Approve this draft? output of draft", asked.Question.Text);
        Assert.Equal(T0.AddMinutes(10), asked.Question.Deadline);
        Assert.DoesNotContain(step.Dispatches, d => d.TaskId.Value == "review");
        Assert.DoesNotContain(step.Wanted, w => w.TaskId == "review");
        Assert.Equal(TaskRunState.Waiting, step.State.Tasks[TaskId.Parse("review")].State);
        Assert.DoesNotContain(TaskId.Parse("review"), step.State.InFlight);
        Assert.Equal(SessionLifecycle.Running, step.State.Lifecycle);
        Assert.Equal(T0.AddMinutes(10), step.WakeAt);
        var view = step.State.ToDetail().Tasks.Single(t => t.Id == "review");
        Assert.Equal(TaskRunState.Waiting, view.State);
        Assert.Equal(asked.Question, view.Question);
        Assert.Equal(HumanInputSpec.Role, view.AgentRole);
    }

    [Fact]
    public void Approval_completes_the_task_and_the_next_step_dispatches_what_waited_on_it()
    {
        var state = Waiting(new HumanInputSpec(HumanAnswerKind.Approve));

        var (after, events, reply) = Answer(state, approve: true);

        Assert.IsType<SessionStatus>(reply);
        var answered = Assert.IsType<HumanInputAnswered>(events[0]);
        Assert.Equal((HumanDecision.Approved, false), (answered.Decision, answered.ByTimeout));
        Assert.Equal("approved", Assert.IsType<TaskSucceeded>(events[1]).Output);
        Assert.Equal(TaskRunState.Succeeded, after.Tasks[TaskId.Parse("review")].State);
        Assert.Empty(after.Awaiting);
        var step = GrantingNode.Plan(after, [], 1000, T0.AddMinutes(1));
        Assert.Contains(step.Dispatches, d => d.TaskId.Value == "final");
        Assert.Contains("Finish with approved", TaskAssignment.For(step.State, step.Dispatches.Single(d => d.TaskId.Value == "final")).Prompt);
    }

    [Fact]
    public void A_value_meeting_the_schema_is_the_task_output_downstream_prompts_read()
    {
        var state = Waiting(new HumanInputSpec(HumanAnswerKind.Value, Schema));

        var (after, events, _) = Answer(state, value: """ {"pages": 12} """);

        Assert.Equal("""{"pages": 12}""", Assert.IsType<HumanInputAnswered>(events[0]).Value);
        Assert.Equal("""{"pages": 12}""", after.Tasks[TaskId.Parse("review")].Output);
        var step = GrantingNode.Plan(after, [], 1000, T0.AddMinutes(1));
        Assert.Contains("""Finish with {"pages": 12}""", TaskAssignment.For(step.State, step.Dispatches.Single(d => d.TaskId.Value == "final")).Prompt);
    }

    [Fact]
    public void Rejection_fails_the_task_with_its_reason_and_the_failure_rules_apply()
    {
        var state = Waiting(new HumanInputSpec(HumanAnswerKind.Approve));

        var (after, events, _) = Answer(state, reject: "too short");

        var failed = Assert.IsType<TaskFailed>(events[1]);
        Assert.False(failed.Retryable);
        Assert.Equal(TaskRunState.Failed, after.Tasks[TaskId.Parse("review")].State);
        Assert.Equal("rejected: too short", after.Tasks[TaskId.Parse("review")].LastError);
        var step = GrantingNode.Plan(after, [], 1000, T0.AddMinutes(1));
        Assert.Contains(step.Events, e => e is TaskSkipped { TaskId.Value: "final" });
    }

    [Theory]
    [InlineData("nope", true, null, null, true, "has no task 'nope'")]
    [InlineData("side", true, null, null, true, "is not a human node")]
    [InlineData("final", true, null, null, true, "is not a human node")]
    [InlineData("review", null, "   ", null, false, "reject needs a reason")]
    [InlineData("review", null, null, null, false, "exactly one of approve, reject or value")]
    [InlineData("review", true, "no", null, false, "exactly one of approve, reject or value")]
    [InlineData("review", true, null, null, false, "asks for a value")]
    [InlineData("review", null, null, """{"pages": 0}""", false, "value: $.pages must be at least 1")]
    [InlineData("review", null, null, """{"pages": "x"}""", false, "value: $.pages must be integer, not a string")]
    [InlineData("review", null, null, """{}""", false, "value: $.pages is required")]
    [InlineData("review", null, null, "{not json", false, "value: the value is not valid JSON")]
    public void An_answer_that_does_not_fit_is_refused_and_nothing_changes(
        string task, bool? approve, string? reject, string? value, bool conflict, string problem)
    {
        var state = Waiting(new HumanInputSpec(HumanAnswerKind.Value, Schema));
        var before = Canonical(state);

        var (after, events, reply) = Answer(state, approve, reject, value, task);

        var refused = Assert.IsType<SessionRejected>(reply);
        Assert.Equal(conflict, refused.Conflict);
        Assert.Contains(problem, Assert.Single(refused.Problems));
        Assert.Empty(events);
        Assert.Same(state, after);
        Assert.Equal(before, Canonical(after));
    }

    [Fact]
    public void A_question_answered_or_not_asked_yet_refuses_another_answer_as_a_conflict()
    {
        var (fresh, _) = Started(Review(new HumanInputSpec(HumanAnswerKind.Approve)));
        fresh = GrantingNode.Plan(fresh, [], 1000, T0).State;
        var notYet = Assert.IsType<SessionRejected>(Answer(fresh, approve: true).Reply);
        Assert.True(notYet.Conflict);
        Assert.Contains("not asked yet", notYet.Problems[0]);

        var (answered, _, _) = Answer(Waiting(new HumanInputSpec(HumanAnswerKind.Approve)), approve: true);
        var again = Assert.IsType<SessionRejected>(Answer(answered, reject: "changed my mind").Reply);
        Assert.True(again.Conflict);
        Assert.Contains("it is succeeded", again.Problems[0]);
        Assert.IsType<SessionNotFound>(Answer(SessionState.Empty("s9"), approve: true).Reply);
    }

    [Theory]
    [InlineData(HumanAnswerKind.Approve, null, "approve", "approved", TaskRunState.Succeeded)]
    [InlineData(HumanAnswerKind.Approve, null, null, null, TaskRunState.Failed)]
    [InlineData(HumanAnswerKind.Value, Schema, """{"pages": 3}""", """{"pages": 3}""", TaskRunState.Succeeded)]
    public void A_passed_deadline_applies_the_default_action_recorded_as_answered_by_timeout(
        HumanAnswerKind answer, string? schema, string? onTimeout, string? output, TaskRunState outcome)
    {
        var state = Waiting(new HumanInputSpec(answer, schema, TimeSpan.FromMinutes(5), onTimeout));

        var early = GrantingNode.Plan(state, [], 1000, T0.AddMinutes(4));
        Assert.DoesNotContain(early.Events, e => e is HumanInputAnswered);
        Assert.Equal(T0.AddMinutes(5), early.WakeAt);

        var step = GrantingNode.Plan(state, [], 1000, T0.AddMinutes(5));

        var answered = Assert.Single(step.Events.OfType<HumanInputAnswered>());
        Assert.True(answered.ByTimeout);
        var task = step.State.Tasks[TaskId.Parse("review")];
        Assert.Equal(outcome, task.State);
        if (output is not null) Assert.Equal(output, task.Output);
        else Assert.Contains("no answer within", task.LastError);
    }

    [Fact]
    public void A_deadline_that_passes_while_the_session_is_paused_applies_at_once_when_it_resumes_and_not_before()
    {
        var state = Waiting(new HumanInputSpec(HumanAnswerKind.Approve, Timeout: TimeSpan.FromMinutes(5), OnTimeout: "approve"));
        var paused = state.Decide(new PauseSession(state.SessionId), T0.AddMinutes(1)).State;

        var whilePaused = GrantingNode.Plan(paused, [], 1000, T0.AddMinutes(30));

        Assert.Empty(whilePaused.Events);
        Assert.Null(whilePaused.WakeAt); // a paused session is not woken for its deadline
        Assert.Equal(TaskRunState.Waiting, whilePaused.State.Tasks[TaskId.Parse("review")].State);
        Assert.Equal(1, whilePaused.State.ToStatus().AwaitingAnswer);

        var resumed = paused.Decide(new ResumeSession(paused.SessionId), T0.AddMinutes(31)).State;
        var step = GrantingNode.Plan(resumed, [], 1000, T0.AddMinutes(31));

        var answered = Assert.Single(step.Events.OfType<HumanInputAnswered>());
        Assert.True(answered.ByTimeout);
        Assert.Equal(T0.AddMinutes(31), answered.At);
        Assert.Equal(TaskRunState.Succeeded, step.State.Tasks[TaskId.Parse("review")].State);
        Assert.Equal(0, step.State.ToStatus().AwaitingAnswer);
        Assert.Contains(step.Dispatches, d => d.TaskId.Value == "final"); // what waited on it goes on in the same step
    }

    [Fact]
    public void A_waiting_session_restored_from_its_snapshot_or_its_events_is_the_same_and_takes_the_answer()
    {
        var (start, created) = Started(Review(new HumanInputSpec(HumanAnswerKind.Approve, Timeout: TimeSpan.FromHours(1))));
        var events = new List<IPersistedEvent>(created);
        var first = GrantingNode.Plan(start, [], 1000, T0);
        events.AddRange(first.Events);
        var second = GrantingNode.Plan(first.State, [Success(first.State, "draft", T0)], 1000, T0);
        events.AddRange(second.Events);

        var replayed = events.Select(RoundTrip).Aggregate(SessionState.Empty("s1"), (s, e) => s.Apply(e));
        var restored = SessionState.FromSnapshot(second.State.ToSnapshot());

        Assert.Equal(Canonical(second.State), Canonical(replayed));
        Assert.Equal(Canonical(second.State), Canonical(restored));
        Assert.Equal(["review"], restored.Awaiting.Select(id => id.Value));
        Assert.Equal(["review"], replayed.Awaiting.Select(id => id.Value));
        Assert.Equal(T0.AddHours(1), GrantingNode.Plan(restored, [], 1000, T0.AddMinutes(1)).WakeAt);
        Assert.IsType<SessionStatus>(Answer(restored, approve: true).Reply);
    }

    [Fact]
    public void A_ready_human_node_restored_from_a_snapshot_is_asked_not_dispatched()
    {
        var (state, _) = Started(Review(new HumanInputSpec(HumanAnswerKind.Approve)));
        state = GrantingNode.Plan(state, [], 1000, T0).State;
        state = state.Apply(Success(state, "draft", T0)); // folded, not stepped: the review is ready, not asked

        var restored = SessionState.FromSnapshot(state.ToSnapshot());

        Assert.Equal(["review"], restored.Questions.Select(q => q.TaskId.Value));
        Assert.DoesNotContain(restored.Ready, r => r.TaskId.Value == "review");
        var step = GrantingNode.Plan(restored, [], 1000, T0);
        Assert.Contains(step.Events, e => e is HumanInputRequested { TaskId.Value: "review" });
        Assert.DoesNotContain(step.Dispatches, d => d.TaskId.Value == "review");
    }
}
