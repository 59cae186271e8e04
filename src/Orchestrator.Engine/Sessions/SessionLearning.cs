using Akka.Actor;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;

namespace Orchestrator.Engine.Sessions;

/// <summary>Tells the agent registry and the lesson store what <see cref="SessionFeedback"/> makes of an event a
/// session just persisted, and reports again the outcomes and verdicts a recovered session replayed (the registry counts
/// each once). Told without a sender: nothing answers.</summary>
internal static class SessionLearning
{
    internal static void Tell(SessionRuntime runtime, SessionState before, IPersistedEvent e)
    {
        if (runtime.Agents is { } agents)
            foreach (var message in SessionFeedback.ForAgents(before, e))
                agents.Tell(message, ActorRefs.NoSender);
        if (runtime.Lessons is { } lessons && SessionFeedback.ForLessons(before, e) is { } candidate)
            lessons.Store.Tell(candidate, ActorRefs.NoSender);
    }

    /// <summary>The reports (attempt outcomes, verdicts) <paramref name="e"/> holds, to tell again once the session has
    /// recovered; none when no registry is told.</summary>
    internal static IEnumerable<AgentCommands.IAgentReport> Outcomes(SessionRuntime runtime, SessionState before, IPersistedEvent e) =>
        runtime.Agents is null ? [] : SessionFeedback.ForAgents(before, e).Where(r => r.Key is not null);

    /// <summary>Tells replayed reports again, those the registry may still remember (within its
    /// <see cref="AgentRegistryState.OutcomeWindow"/>): it ignores one it has already counted.</summary>
    internal static void Report(SessionRuntime runtime, IEnumerable<AgentCommands.IAgentReport> outcomes)
    {
        if (runtime.Agents is not { } agents) return;
        var since = runtime.Now - AgentRegistryState.OutcomeWindow;
        foreach (var outcome in outcomes.Where(o => o.At >= since))
            agents.Tell(outcome, ActorRefs.NoSender);
    }
}
