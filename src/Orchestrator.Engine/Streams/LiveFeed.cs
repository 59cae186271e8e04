using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;

namespace Orchestrator.Engine.Streams;

/// <summary>A live fan-out of events to any number of Akka.Streams subscribers, each with its own bounded buffer.
/// <see cref="Publish"/> never blocks and never waits for a subscriber: when a subscriber's buffer is full its events
/// are counted, and it receives one <see cref="FeedItem{T}.Dropped"/> marker in their place once it catches up.</summary>
public sealed class LiveFeed<T>
{
    private readonly int _defaultBufferSize;
    private volatile Subscriber[] _subscribers = [];
    private readonly Lock _gate = new();

    /// <summary>A feed whose subscribers buffer <paramref name="defaultBufferSize"/> items unless they ask otherwise.</summary>
    public LiveFeed(int defaultBufferSize = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultBufferSize, 2);
        _defaultBufferSize = defaultBufferSize;
    }

    /// <summary>The number of live subscribers.</summary>
    public int SubscriberCount => _subscribers.Length;

    /// <summary>Hands <paramref name="value"/> to every subscriber whose filter accepts it.</summary>
    public void Publish(T value)
    {
        foreach (var subscriber in _subscribers)
            subscriber.Offer(value);
    }

    /// <summary>A source of the events published from now on that <paramref name="filter"/> accepts (all by default),
    /// buffering at most <paramref name="bufferSize"/> items. Each materialization is a subscriber of its own; it
    /// unsubscribes when the stream ends or is cancelled.</summary>
    public Source<FeedItem<T>, NotUsed> Subscribe(Func<T, bool>? filter = null, int? bufferSize = null) =>
        Source.Lazily(() => SourceOf(Open(filter, bufferSize))).MapMaterializedValue(_ => NotUsed.Instance);

    /// <summary>Like <see cref="Subscribe"/>, but the subscriber is registered now, so nothing published after this call
    /// is missed however late the source runs. The source may be run once; until it ends, the subscriber holds a buffer.</summary>
    public Source<FeedItem<T>, NotUsed> SubscribeNow(Func<T, bool>? filter = null, int? bufferSize = null) =>
        SourceOf(Open(filter, bufferSize)).MapMaterializedValue(_ => NotUsed.Instance);

    private Subscriber Open(Func<T, bool>? filter, int? bufferSize)
    {
        var subscriber = new Subscriber(filter ?? (_ => true), bufferSize ?? _defaultBufferSize);
        Add(subscriber);
        return subscriber;
    }

    private Source<FeedItem<T>, NotUsed> SourceOf(Subscriber subscriber) =>
        ChannelSource.FromReader(subscriber.Reader)
            .Select(subscriber.Taken)
            .WatchTermination((_, done) =>
            {
                done.ContinueWith(_ => Remove(subscriber), TaskScheduler.Default);
                return NotUsed.Instance;
            });

    private void Add(Subscriber subscriber)
    {
        lock (_gate) _subscribers = [.. _subscribers, subscriber];
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_gate) _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
        subscriber.Complete();
    }

    /// <summary>One subscriber's bounded buffer. The channel itself is unbounded; the count of items in it is kept
    /// here, so that a drop marker can always be placed exactly where the events went missing.</summary>
    private sealed class Subscriber(Func<T, bool> filter, int capacity)
    {
        private readonly Channel<FeedItem<T>> _channel = Channel.CreateUnbounded<FeedItem<T>>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        private readonly Lock _gate = new();
        private int _buffered;
        private long _dropped;

        public ChannelReader<FeedItem<T>> Reader => _channel.Reader;

        public void Offer(T value)
        {
            if (!filter(value))
                return;
            lock (_gate)
            {
                var needed = _dropped > 0 ? 2 : 1;
                if (_buffered + needed > capacity)
                {
                    _dropped++;
                    return;
                }
                if (_dropped > 0)
                {
                    _channel.Writer.TryWrite(new FeedItem<T>.Dropped(_dropped));
                    _dropped = 0;
                    _buffered++;
                }
                _channel.Writer.TryWrite(new FeedItem<T>.Event(value));
                _buffered++;
            }
        }

        public FeedItem<T> Taken(FeedItem<T> item)
        {
            lock (_gate)
            {
                _buffered--;
                // Caught up after losing events: say so now rather than with the next event.
                if (_buffered == 0 && _dropped > 0)
                {
                    _channel.Writer.TryWrite(new FeedItem<T>.Dropped(_dropped));
                    _dropped = 0;
                    _buffered++;
                }
            }
            return item;
        }

        public void Complete() => _channel.Writer.TryComplete();
    }
}
