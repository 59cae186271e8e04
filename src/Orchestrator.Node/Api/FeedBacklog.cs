using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Orchestrator.Node.Api;

/// <summary>What the node's feeds hold: for each open stream, the items it has taken from the journal (and the live feed)
/// and not yet handed to its client's response. A stream's share is bounded by <c>orchestrator.api.feed-buffer</c> and
/// the stream's own queue, however far behind its client is; the journal keeps the rest.</summary>
internal sealed class FeedBacklog
{
    /// <summary>Items a stream holds beside its buffer: the 16 its queue to the response takes ahead
    /// (<c>RunAsAsyncEnumerable</c>'s sink) and one on its way between the stages.</summary>
    public const int StreamQueue = 17;

    private long _held;
    private long _mostByOneStream;
    private long _read;

    /// <summary>Items all open streams hold now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>The most one stream has held at any moment since the node started.</summary>
    public long MostHeldByOneStream => Interlocked.Read(ref _mostByOneStream);

    /// <summary>Items every stream has taken, since the node started.</summary>
    public long Read => Interlocked.Read(ref _read);

    /// <summary>Runs <paramref name="source"/> with a buffer of <paramref name="buffer"/> items that waits for the client
    /// when full (back-pressure up to the journal query), counting what it holds.</summary>
    public IAsyncEnumerable<SseItem<object>> Run(Source<SseItem<object>, NotUsed> source, int buffer, ActorSystem system)
    {
        var stream = new Stream(this);
        return stream.Sent(source
            .Select(item =>
            {
                stream.Took();
                return item;
            })
            .Buffer(buffer, OverflowStrategy.Backpressure)
            .RunAsAsyncEnumerable(system.Materializer()));
    }

    /// <summary>One stream's count.</summary>
    private sealed class Stream(FeedBacklog backlog)
    {
        private long _held;

        public void Took()
        {
            Interlocked.Increment(ref backlog._read);
            Interlocked.Increment(ref backlog._held);
            var held = Interlocked.Increment(ref _held);
            long most;
            while (held > (most = Interlocked.Read(ref backlog._mostByOneStream))
                   && Interlocked.CompareExchange(ref backlog._mostByOneStream, held, most) != most)
            {
            }
        }

        /// <summary>The items of <paramref name="items"/>, each counted as handed on when the response asks for it;
        /// whatever the stream still held is let go when it ends.</summary>
        public async IAsyncEnumerable<SseItem<object>> Sent(IAsyncEnumerable<SseItem<object>> items,
            [EnumeratorCancellation] CancellationToken ct = default)
        {
            try
            {
                await foreach (var item in items.WithCancellation(ct))
                {
                    Interlocked.Decrement(ref _held);
                    Interlocked.Decrement(ref backlog._held);
                    yield return item;
                }
            }
            finally
            {
                Interlocked.Add(ref backlog._held, -Interlocked.Exchange(ref _held, 0));
            }
        }
    }
}
