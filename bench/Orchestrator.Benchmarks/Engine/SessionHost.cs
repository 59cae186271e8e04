using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>Stands in for a shard around one session entity: forwards everything to it, stops it when it asks to
/// passivate (a finished session does), and completes <c>stopped</c> when it has stopped.</summary>
internal sealed class SessionHost : ReceiveActor
{
    public SessionHost(Props entity, TaskCompletionSource stopped)
    {
        var child = Context.ActorOf(entity, "entity");
        Context.Watch(child);
        Receive<Passivate>(p => Sender.Tell(p.StopMessage));
        Receive<Terminated>(_ =>
        {
            stopped.TrySetResult();
            Context.Stop(Self);
        });
        ReceiveAny(m => child.Forward(m));
    }

    public static Props Props(Props entity, TaskCompletionSource stopped) =>
        Akka.Actor.Props.Create(() => new SessionHost(entity, stopped));
}
