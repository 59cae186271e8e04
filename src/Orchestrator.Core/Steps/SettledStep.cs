using Orchestrator.Core.Decisions;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Steps;

/// <summary>A step's outcomes settled (<see cref="SessionStep.Settle"/>): its events so far, the state after them, and
/// how many outcomes it folded; <see cref="Dispatch"/> completes it with the node's grants.</summary>
public sealed record SettledStep(IReadOnlyList<IPersistedEvent> Events, SessionState State, int OutcomesFolded)
{
    /// <summary>The whole step: these events, then the dispatches that <paramref name="grants"/> allow (nothing when the
    /// session stopped running), or the end of the session when its budget allows nothing more.</summary>
    public SessionStep Dispatch(
        IReadOnlyDictionary<string, DispatchGrant> grants,
        DateTimeOffset now,
        IReadOnlyDictionary<string, string>? modelByRole = null,
        IReadOnlyDictionary<string, string>? holds = null)
    {
        var s = State;
        if (s.Lifecycle != SessionLifecycle.Running)
            return new SessionStep(Events, [], null, s, []);
        var events = new List<IPersistedEvent>(Events);
        var next = DispatchPlanner.Next(s, new DecisionContext(grants, now, modelByRole, holds));
        events.AddRange(next.Events);
        s = s.ApplyAll(next.Events);
        if (next.BudgetSpent is { } budget && next.Dispatches.Count == 0 && s.InFlight.Count == 0)
        {
            // Nothing runs and nothing may start: the budget ends the session with what it has.
            var stop = IterationPolicy.Stop(s, $"budget spent: {budget}", now).Events;
            events.AddRange(stop);
            return new SessionStep(events, [], null, s.ApplyAll(stop), []);
        }
        var wake = SessionHumanInput.NextDeadline(s) is { } deadline && (next.WakeAt is not { } at || deadline < at) ? deadline : next.WakeAt;
        return new SessionStep(events, next.Dispatches, wake, s, next.Wanted ?? []);
    }
}
