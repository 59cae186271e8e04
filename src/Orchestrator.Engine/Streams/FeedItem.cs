namespace Orchestrator.Engine.Streams;

/// <summary>What a live feed hands a subscriber: an event, or the number of events it missed because it read too
/// slowly. A slow subscriber loses events, never slows the publisher. Node-local: never serialized.</summary>
public abstract record FeedItem<T> : Akka.Actor.INoSerializationVerificationNeeded
{
    private FeedItem()
    {
    }

    /// <summary>An event, in publishing order.</summary>
    public sealed record Event(T Value) : FeedItem<T>;

    /// <summary><paramref name="Count"/> events were dropped here because this subscriber's buffer was full.</summary>
    public sealed record Dropped(long Count) : FeedItem<T>;
}
