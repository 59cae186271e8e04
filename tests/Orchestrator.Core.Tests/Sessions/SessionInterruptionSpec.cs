using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>Poison tasks: a task whose attempts were in flight when the node stopped twice in a row is not dispatched a
/// third time (it may be what kills the node); it fails with that reason and the rest of the session goes on. The
/// count is the same whether the session lived through the crashes or replays them from its journal.</summary>
public class SessionInterruptionSpec
{
    private const int Limit = 2;

    private static readonly WorkflowTemplate Plan = Template(null, Node("boom"), Node("fine"), Node("after", deps: "boom"));

    /// <summary>A session journal and the node's crashes: each recovery replays the journal as the coordinator does.</summary>
    private sealed class RestartedSession
    {
        public List<IPersistedEvent> Journal { get; }
        public SessionState State { get; private set; }

        public RestartedSession(WorkflowTemplate template)
        {
            (State, var events) = Started(template);
            Journal = [.. events];
        }

        public void Persist(IEnumerable<IPersistedEvent> events)
        {
            foreach (var e in events)
            {
                Journal.Add(e);
                State = State.Apply(e);
            }
        }

        public IReadOnlyList<string> Step()
        {
            var (_, outcome) = SessionFixtures.Step(State, T0);
            Persist(outcome.Events);
            return outcome.Dispatches.Select(d => d.TaskId.Value).ToList();
        }

        /// <summary>The node dies and starts again: the state is the journal replayed, tasks in flight put back, and
        /// the tasks cut short too often failed (written with the first step, as the coordinator does).</summary>
        public IReadOnlyList<TaskFailed> CrashAndRecover()
        {
            State = SessionState.Empty(State.SessionId).ApplyAll(Journal).RequeueInFlight();
            var givenUp = State.InterruptedTooOften(Limit, T0);
            Persist(givenUp);
            return givenUp;
        }
    }

    [Fact]
    public void A_task_cut_short_twice_in_a_row_fails_at_the_next_recovery_and_the_rest_of_the_session_goes_on()
    {
        var session = new RestartedSession(Plan);
        Assert.Equal(["boom", "fine"], session.Step().Order(StringComparer.Ordinal));

        Assert.Empty(session.CrashAndRecover()); // cut short once: dispatched again
        Assert.Equal(["boom", "fine"], session.Step().Order(StringComparer.Ordinal));
        session.Persist([Success(session.State, "fine", T0)]);

        var givenUp = Assert.Single(session.CrashAndRecover());

        Assert.Equal(("boom", 3, false), (givenUp.TaskId.Value, givenUp.Attempt, givenUp.Retryable));
        Assert.Contains("in flight when the node stopped", givenUp.Reason);
        Assert.Equal(TaskRunState.Failed, session.State.Tasks[TaskId.Parse("boom")].State);
        Assert.Empty(session.Step()); // not a third time
        Assert.Equal(TaskRunState.Skipped, session.State.Tasks[TaskId.Parse("after")].State);
        Assert.Equal(TaskRunState.Succeeded, session.State.Tasks[TaskId.Parse("fine")].State);
        Assert.True(session.State.IsDagDone);
        // The failure holds on every later replay: the journal, not the recovery, says the task failed.
        Assert.Empty(session.CrashAndRecover());
        Assert.Equal(TaskRunState.Failed, session.State.Tasks[TaskId.Parse("boom")].State);
    }

    [Fact]
    public void The_count_is_the_same_lived_through_as_replayed_from_the_journal_or_a_snapshot()
    {
        var session = new RestartedSession(Plan);
        session.Step();
        session.CrashAndRecover();
        session.Step(); // a live dispatch after the requeue: no second interruption counted for it
        Assert.Equal(1, session.State.Tasks[TaskId.Parse("boom")].Interruptions);

        var replayed = SessionState.Empty("s1").ApplyAll(session.Journal);
        Assert.Equal(1, replayed.Tasks[TaskId.Parse("boom")].Interruptions); // the second dispatch over the first counts it
        Assert.Equal(Canonical(session.State), Canonical(replayed));
        var fromSnapshot = SessionState.FromSnapshot(System.Text.Json.JsonSerializer.Deserialize<SessionSnapshots.SessionSnapshot>(
            System.Text.Json.JsonSerializer.Serialize(session.State.ToSnapshot()))!);
        Assert.Equal(2, fromSnapshot.RequeueInFlight().Tasks[TaskId.Parse("boom")].Interruptions);
    }

    [Fact]
    public void An_outcome_between_interruptions_starts_the_count_again()
    {
        var session = new RestartedSession(Template(null, Node("flaky", retries: 3)));
        session.Step();
        session.CrashAndRecover();
        session.Step();
        session.Persist([Failure(session.State, "flaky", T0)]); // an outcome: the attempt ended, not cut short
        session.Persist(SessionFixtures.Step(session.State, T0.AddMinutes(5)).Outcome.Events); // the retry, after its back-off

        Assert.Empty(session.CrashAndRecover());
        Assert.Equal(TaskRunState.Ready, session.State.Tasks[TaskId.Parse("flaky")].State);
        Assert.Equal(1, session.State.Tasks[TaskId.Parse("flaky")].Interruptions);
    }
}
