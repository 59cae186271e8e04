using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Sessions;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Sessions;

/// <summary>The node's session gateway (<c>/user/session-gateway</c>), registered with the <c>ClusterClientReceptionist</c>
/// for applications that reach the cluster through a <c>ClusterClient</c>: it forwards each <see cref="ISessionMessage"/>
/// to the <c>session</c> region with its sender, so replies and notices go back to that sender through the client. A
/// session id no session can have is refused here (<see cref="SessionIdRefusal"/>); anything else is answered
/// <see cref="GatewayRefused"/>, to its sender only.</summary>
public sealed class SessionGatewayActor : ReceiveActor
{
    /// <summary>Props of the gateway in front of <paramref name="region"/>.</summary>
    public static Props Props(IActorRef region) => Akka.Actor.Props.Create(() => new SessionGatewayActor(region));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public SessionGatewayActor(IActorRef region)
    {
        Receive<ISessionMessage>(m =>
        {
            if (SessionIdRefusal.Of(m) is { } refusal) Sender.Tell(refusal);
            else region.Forward(m);
        });
        ReceiveAny(m =>
        {
            Context.GetLogger().Debug("Session gateway: refused a {MessageType} from {Sender}", m.GetType().Name, Sender.Path);
            Sender.Tell(new GatewayRefused(m.GetType().Name,
                $"the session gateway takes only session messages (start, status, detail, pause, resume, cancel, answer, subscribe, unsubscribe), not {m.GetType().Name}"));
        });
    }

    /// <summary>Marks the gateway in the actor registry.</summary>
    public sealed class Registered;
}
