using Akka.Actor;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;

namespace Orchestrator.Engine.Sessions;

/// <summary>Tells the agent registry and the lesson store what <see cref="SessionFeedback"/> makes of an event a
/// session just persisted (never while it replays). Told without a sender: nothing answers.</summary>
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
}
