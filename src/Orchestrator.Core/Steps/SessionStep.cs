using Orchestrator.Core.Decisions;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Steps;

/// <summary>One step of a session, planned as one write: the outcomes that arrived since the last write, a planner's
/// expansion of its task list, the default actions of people's questions past their deadline, the iteration verdict
/// when the DAG is done, the questions of human nodes now ready, and the next dispatches. The coordinator
/// persists <see cref="Events"/> together (one round trip to the journal, however many outcomes arrived), adopts
/// <see cref="State"/> (the state after them, folded once, here), then starts a worker for each of
/// <see cref="Dispatches"/> (<see cref="TaskAssignment.For"/>), asks the node's decision engine for
/// <see cref="Wanted"/>, and decides again at <see cref="WakeAt"/> (a back-off, spacing or a question's deadline) if
/// nothing happens before.</summary>
public sealed record SessionStep(
    IReadOnlyList<IPersistedEvent> Events,
    IReadOnlyList<TaskDispatched> Dispatches,
    DateTimeOffset? WakeAt,
    SessionState State,
    IReadOnlyList<DispatchCandidate> Wanted)
{
    /// <summary>Plans the step after <paramref name="outcomes"/> (outcomes of attempts the state accepts, in arrival
    /// order) with the node's <paramref name="grants"/> not used yet (by task id) and its reasons for holding back the
    /// others (<paramref name="holds"/>, by task id).</summary>
    public static SessionStep Plan(
        SessionState state,
        IReadOnlyList<IPersistedEvent> outcomes,
        IReadOnlyDictionary<string, DispatchGrant> grants,
        DateTimeOffset now,
        IReadOnlyDictionary<string, string>? modelByRole = null,
        IReadOnlyDictionary<string, string>? holds = null) =>
        Settle(state, outcomes, now).Dispatch(grants, now, modelByRole, holds);

    /// <summary>The first half of <see cref="Plan"/>, which no grant changes: <paramref name="outcomes"/> folded (a
    /// planner's expansion included), overdue questions answered by default, the iteration verdict when the DAG is done,
    /// the questions now ready. A coordinator that waits for the decision engine's answer keeps it and plans only the
    /// dispatches when the grants come, instead of folding the same outcomes twice.</summary>
    public static SettledStep Settle(SessionState state, IReadOnlyList<IPersistedEvent> outcomes, DateTimeOffset now)
    {
        var events = new List<IPersistedEvent>(outcomes.Count + 8);
        var s = state;
        // Plain outcomes are folded in one run. They never change which prototypes wait on a task (only a plan or an
        // iteration does), so a task that has none in s has none after them either; a planner's success folds them first.
        var run = new List<IPersistedEvent>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            if (outcome is TaskSucceeded ok && s.HasPrototypesWaitingOn(ok.TaskId))
            {
                s = s.ApplyAll(run);
                run.Clear();
                if (s.HasPrototypesWaitingOn(ok.TaskId))
                {
                    var accepted = Expand(s, ok, now);
                    events.AddRange(accepted);
                    s = s.ApplyAll(accepted);
                    continue;
                }
            }
            events.Add(outcome);
            run.Add(outcome);
        }
        s = s.ApplyAll(run);

        if (s.Lifecycle == SessionLifecycle.Running)
        {
            // A person's question whose deadline has passed gets its default action before anything depends on it.
            var overdue = SessionHumanInput.Overdue(s, now);
            events.AddRange(overdue);
            s = s.ApplyAll(overdue);
        }

        if (s.Lifecycle == SessionLifecycle.Running && s.IsDagDone && s.InFlight.Count == 0)
        {
            var decision = IterationPolicy.Evaluate(s, now);
            events.AddRange(decision.Events);
            s = s.ApplyAll(decision.Events);
        }

        if (s.Lifecycle == SessionLifecycle.Running)
        {
            var questions = SessionHumanInput.Ask(s, now);
            events.AddRange(questions);
            s = s.ApplyAll(questions);
        }
        return new SettledStep(events, s, outcomes.Count);
    }

    /// <summary>A planner's success expands the prototypes waiting on it with the task list its worker read; a task
    /// list that does not validate turns the success into a retryable failure of the planner, with every problem and the
    /// raw text. A success journaled before task lists were persisted has only its output, which is read here as it was.</summary>
    private static IReadOnlyList<IPersistedEvent> Expand(SessionState s, TaskSucceeded ok, DateTimeOffset now)
    {
        var list = ok.TaskList;
        if (list is null)
        {
            var parsed = ResponseParser.Parse(ok.Output, ResponsePhase.TaskList);
            if (parsed is not { Success: true, TaskList: { } read })
                return [Refused(ok, parsed.Problems.DefaultIfEmpty("the planner's reply holds no task list"))];
            list = read;
        }
        var expansion = s.DecideExpansion(ok.TaskId, list, now);
        return expansion.IsValid ? [ok, .. expansion.Events] : [Refused(ok, expansion.Problems)];
    }

    private static TaskFailed Refused(TaskSucceeded ok, IEnumerable<string> problems) =>
        new(ok.SessionId, ok.TaskId, ok.Attempt, "task list refused: " + string.Join("; ", problems), ok.Output,
            Retryable: true, ok.Tokens, ok.At);
}
