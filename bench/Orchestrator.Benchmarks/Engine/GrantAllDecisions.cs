using Akka.Actor;
using Orchestrator.Core.Decisions;
using static Orchestrator.Engine.Decisions.DispatchMessages;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>The path before the decision-engine actor, at today's session: every request is granted at once on the
/// role's own model (as <c>models-by-role</c> did), with no node slots, no agents and no bookkeeping, and the session may
/// always carry. What the session sends back (releases, carries) is dropped. The engine benchmarks run the same DAG
/// through this and through the real <see cref="Orchestrator.Engine.Decisions.DecisionEngine"/> side by side, so the
/// ratio is what the decision engine costs a session (issue 21 item 6).</summary>
internal sealed class GrantAllDecisions : ReceiveActor
{
    public GrantAllDecisions()
    {
        Receive<RequestDispatch>(r => Sender.Tell(new DispatchAnswered(new DispatchAnswer(r.SessionId,
            r.Candidates.Select(c => new DispatchGrant(r.SessionId, c.TaskId, c.Attempt, null, c.Role)).ToList(), [], [], MayCarry: true))));
        Receive<ReleaseDispatch>(_ => { });
        Receive<CarryDispatch>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new GrantAllDecisions());
}
