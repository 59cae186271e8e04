using System.Collections.Concurrent;
using Akka.Actor;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Stands between sessions and a real decision engine, forwarding everything (the engine answers the sender
/// directly) and recording each message into the queue it was made with, which may be read while it runs.</summary>
internal sealed class CountingEngine : ReceiveActor
{
    public CountingEngine(IActorRef engine, ConcurrentQueue<object> seen) =>
        ReceiveAny(m =>
        {
            seen.Enqueue(m);
            engine.Forward(m);
        });

    /// <summary>A stand-in in front of <paramref name="engine"/>, recording into <paramref name="seen"/>.</summary>
    public static Props Props(IActorRef engine, ConcurrentQueue<object> seen) => Akka.Actor.Props.Create(() => new CountingEngine(engine, seen));
}
