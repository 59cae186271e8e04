using Akka.Actor;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Engine.Sessions;

/// <summary>The subscribers of one session's notices, kept by its coordinator and not persisted: each is watched, and
/// its termination (or its unsubscription) removes it.</summary>
internal sealed class SessionSubscribers(IActorContext context)
{
    private readonly HashSet<IActorRef> _subscribers = [];

    /// <summary>Whether anyone listens.</summary>
    public bool Any => _subscribers.Count > 0;

    /// <summary>Adds <paramref name="subscriber"/> (again: no change).</summary>
    public void Add(IActorRef subscriber)
    {
        if (!subscriber.IsNobody() && _subscribers.Add(subscriber)) context.Watch(subscriber);
    }

    /// <summary>Removes <paramref name="subscriber"/>; false when it was none.</summary>
    public bool Remove(IActorRef subscriber)
    {
        if (!_subscribers.Remove(subscriber)) return false;
        context.Unwatch(subscriber);
        return true;
    }

    /// <summary>Sends each notice to every subscriber, in order, from the session.</summary>
    public void Tell(IReadOnlyList<ISessionReply> notices)
    {
        foreach (var subscriber in _subscribers)
            foreach (var notice in notices)
                subscriber.Tell(notice, context.Self);
    }
}
