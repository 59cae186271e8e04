using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Streams;

namespace Orchestrator.Engine.Tests.Streams;

public sealed class LiveFeedSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly IMaterializer _materializer;

    public LiveFeedSpec() : base("akka.actor.serialize-messages = on") => _materializer = Sys.Materializer();

    private async Task AwaitSubscribers(LiveFeed<int> feed, int count) =>
        await AwaitConditionAsync(() => Task.FromResult(feed.SubscriberCount == count), Timeout);

    [Fact]
    public async Task Every_subscriber_gets_the_events_its_filter_accepts_in_order()
    {
        var feed = new LiveFeed<int>();
        var all = feed.Subscribe().Take(100).RunWith(Sink.Seq<FeedItem<int>>(), _materializer);
        var even = feed.Subscribe(i => i % 2 == 0).Take(50).RunWith(Sink.Seq<FeedItem<int>>(), _materializer);
        await AwaitSubscribers(feed, 2);

        for (var i = 0; i < 100; i++) feed.Publish(i);

        Assert.Equal(Enumerable.Range(0, 100), (await all.WaitAsync(Timeout)).Select(e => ((FeedItem<int>.Event)e).Value));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2), (await even.WaitAsync(Timeout)).Select(e => ((FeedItem<int>.Event)e).Value));
    }

    [Fact]
    public async Task A_slow_subscriber_gets_a_dropped_marker_and_never_blocks_the_publisher()
    {
        var feed = new LiveFeed<int>();
        var gate = new TaskCompletionSource();
        var received = new List<FeedItem<int>>();
        var done = feed.Subscribe(bufferSize: 8)
            .SelectAsync(1, async item => { await gate.Task; return item; })
            .TakeWhile(item => item is not FeedItem<int>.Event { Value: -1 })
            .RunForeach(received.Add, _materializer);
        await AwaitSubscribers(feed, 1);

        // The subscriber reads nothing while 10,000 events are published: Publish returns regardless.
        for (var i = 0; i < 10_000; i++) feed.Publish(i);
        gate.SetResult();
        await AwaitAssertAsync(() => Assert.Contains(received, r => r is FeedItem<int>.Dropped), Timeout);
        feed.Publish(-1);
        await done.WaitAsync(Timeout);

        var events = received.OfType<FeedItem<int>.Event>().Select(e => e.Value).ToList();
        var dropped = received.OfType<FeedItem<int>.Dropped>().Sum(d => d.Count);
        Assert.Equal(10_000, events.Count + dropped);
        Assert.True(events.Count < 20, $"only the buffer's worth should arrive, got {events.Count}");
        Assert.Equal(events.OrderBy(e => e), events);
    }

    [Fact]
    public async Task A_cancelled_subscriber_is_removed()
    {
        var feed = new LiveFeed<int>();
        var first = feed.Subscribe().Take(1).RunWith(Sink.First<FeedItem<int>>(), _materializer);
        await AwaitSubscribers(feed, 1);

        feed.Publish(7);

        Assert.Equal(new FeedItem<int>.Event(7), await first.WaitAsync(Timeout));
        await AwaitSubscribers(feed, 0);
    }

    [Fact]
    public async Task SubscribeNow_keeps_what_is_published_before_the_source_runs()
    {
        var feed = new LiveFeed<int>();
        var source = feed.SubscribeNow();
        Assert.Equal(1, feed.SubscriberCount);

        feed.Publish(1);
        feed.Publish(2);
        var items = await source.Take(2).RunWith(Sink.Seq<FeedItem<int>>(), _materializer).WaitAsync(Timeout);

        Assert.Equal([1, 2], items.Select(i => ((FeedItem<int>.Event)i).Value));
        await AwaitSubscribers(feed, 0);
    }
}
