using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Stands in for a shard: forwards everything to its one entity, starting it when a message arrives and it
/// is not running (so it recovers from its journal), and stops it on <c>Passivate</c>, telling
/// <paramref name="observer"/> each time the entity stops.</summary>
internal sealed class PassivatingParent : ReceiveActor
{
    public sealed record EntityStopped;

    public static Props Props(Props entity, IActorRef observer) => Akka.Actor.Props.Create(() => new PassivatingParent(entity, observer));

    public PassivatingParent(Props entity, IActorRef observer)
    {
        IActorRef? child = null;
        var generation = 0;
        Receive<Passivate>(p => Sender.Tell(p.StopMessage));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(child)) child = null;
            observer.Tell(new EntityStopped());
        });
        ReceiveAny(m =>
        {
            if (child is null)
            {
                child = Context.ActorOf(entity, $"entity-{++generation}");
                Context.Watch(child);
            }
            child.Forward(m);
        });
    }
}
