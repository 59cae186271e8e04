using Akka.Actor;
using Akka.Event;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Engine.Sessions;

/// <summary>Gives back to the <c>session</c> region a session message that reached one of its entities as the entity
/// stopped (<c>/system/sharding/session/&lt;shard&gt;/&lt;entity&gt;</c>), so that the session's next incarnation gets
/// it instead of dead letters. A session whose recovery fails answers whoever asked while it recovered, and then Akka
/// stops it: a query the shard delivered in between was never read, and its asker waited for its timeout. Given back,
/// it reaches the next incarnation, which answers at once (<see cref="UnrecoverableSession"/>). A message is given back
/// once: one that dies again is left to dead letters, so nothing circles while the node stops.</summary>
public sealed class SessionLetterReturn : ReceiveActor
{
    /// <summary>How many given-back messages are remembered, so that one dying again is not given back again.</summary>
    private const int Remembered = 1024;

    private readonly HashSet<object> _returned = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<object> _oldestFirst = new();

    /// <summary>Props of the return for the entities of <paramref name="region"/>.</summary>
    public static Props Props(IActorRef region) => Akka.Actor.Props.Create(() => new SessionLetterReturn(region));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public SessionLetterReturn(IActorRef region)
    {
        var log = Context.GetLogger();
        Receive<DeadLetter>(letter =>
        {
            if (letter.Message is not ISessionMessage message || !IsEntityOf(region.Path, letter.Recipient.Path)) return;
            if (!FirstReturn(message))
            {
                log.Info("A {MessageType} for {Recipient} reached a stopped session again; it is left to dead letters",
                    message.GetType().Name, letter.Recipient.Path);
                return;
            }
            log.Debug("A {MessageType} reached {Recipient} as it stopped; it goes to the session's next incarnation",
                message.GetType().Name, letter.Recipient.Path);
            region.Tell(message, letter.Sender);
        });
    }

    /// <inheritdoc />
    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));

    /// <inheritdoc />
    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    /// <summary>Whether <paramref name="recipient"/> is an entity of the region at <paramref name="region"/>: a child of
    /// one of its shards.</summary>
    private static bool IsEntityOf(ActorPath region, ActorPath recipient) =>
        recipient.Parent?.Parent is { } grandparent && grandparent.Equals(region);

    private bool FirstReturn(object message)
    {
        if (!_returned.Add(message)) return false;
        _oldestFirst.Enqueue(message);
        if (_oldestFirst.Count > Remembered) _returned.Remove(_oldestFirst.Dequeue());
        return true;
    }
}
