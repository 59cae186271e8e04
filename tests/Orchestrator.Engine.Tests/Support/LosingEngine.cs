using Akka.Actor;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Stands in for a decision engine that restarts: the first <c>lost</c> messages of type
/// <typeparamref name="TLost"/> vanish (they were in the old incarnation's mailbox); everything else reaches the real
/// engine, which answers the sender directly. Asked <see cref="Dropped"/>, it answers how many it dropped.</summary>
internal sealed class LosingEngine<TLost> : ReceiveActor
{
    public LosingEngine(IActorRef engine, int lost)
    {
        var dropped = 0;
        Receive<Dropped>(_ => Sender.Tell(dropped));
        Receive<TLost>(m =>
        {
            if (dropped < lost) dropped++;
            else engine.Forward(m);
        });
        ReceiveAny(m => engine.Forward(m));
    }

    public static Props Props(IActorRef engine, int lost) => Akka.Actor.Props.Create(() => new LosingEngine<TLost>(engine, lost));
}

/// <summary>Asks a <see cref="LosingEngine{TLost}"/> how many messages it dropped.</summary>
internal sealed record Dropped
{
    public static Dropped Instance { get; } = new();
}
