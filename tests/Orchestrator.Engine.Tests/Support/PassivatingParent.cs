using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Stands in for a shard: forwards everything to its one entity, starting it when a message arrives and it
/// is not running (so it recovers from its journal), and stops it on <c>Passivate</c>, telling
/// <paramref name="observer"/> each time the entity stops. As a shard does, it buffers what arrives while the entity
/// is passivating and delivers it to the next incarnation, so no message is lost to the stop.</summary>
internal sealed class PassivatingParent : ReceiveActor
{
    public sealed record EntityStopped;

    public static Props Props(Props entity, IActorRef observer) => Props(() => entity, observer);

    /// <summary>As a shard with an entity factory: each incarnation from what <paramref name="entity"/> gives then.</summary>
    public static Props Props(Func<Props> entity, IActorRef observer) => Akka.Actor.Props.Create(() => new PassivatingParent(entity, observer));

    public PassivatingParent(Func<Props> entity, IActorRef observer)
    {
        IActorRef? child = null;
        var generation = 0;
        var passivating = false;
        var buffered = new Queue<(object Message, IActorRef Sender)>();

        void Deliver(object message, IActorRef sender)
        {
            if (child is null)
            {
                child = Context.ActorOf(entity(), $"entity-{++generation}");
                Context.Watch(child);
            }
            child.Tell(message, sender);
        }

        Receive<Passivate>(p =>
        {
            passivating = true;
            Sender.Tell(p.StopMessage);
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(child)) return;
            child = null;
            passivating = false;
            observer.Tell(new EntityStopped());
            while (buffered.Count > 0)
            {
                var (message, sender) = buffered.Dequeue();
                Deliver(message, sender);
            }
        });
        ReceiveAny(m =>
        {
            if (passivating) buffered.Enqueue((m, Sender));
            else Deliver(m, Sender);
        });
    }
}
