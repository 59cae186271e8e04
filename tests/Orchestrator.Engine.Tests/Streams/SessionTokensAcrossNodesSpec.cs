using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using static Orchestrator.Core.Sessions.SessionLiveMessages;

namespace Orchestrator.Engine.Tests.Streams;

/// <summary>Two actor systems forming a real two-node cluster on loopback: a session's token chunks published on the node
/// that runs it reach a client that follows the session through <see cref="OrchestratorClient.Events"/> on the other
/// node, through the session's pub-sub topic and that node's <see cref="SessionTokenRelay"/>, serialized on the way.</summary>
public sealed class SessionTokensAcrossNodesSpec : TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static Config NodeConfig => ConfigurationFactory.ParseString("""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.min-nr-of-members = 1
        akka.cluster.pub-sub.gossip-interval = 200ms
        """).WithFallback(EngineTestConfig.Default);

    private readonly ActorSystem _other;

    public SessionTokensAcrossNodesSpec() : base(NodeConfig, "tokens")
    {
        _other = ActorSystem.Create("tokens", NodeConfig);
        var first = Akka.Cluster.Cluster.Get(Sys);
        first.Join(first.SelfAddress);
        Akka.Cluster.Cluster.Get(_other).Join(first.SelfAddress);
        AwaitAssert(() =>
        {
            Assert.Equal(2, first.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
            Assert.Equal(2, Akka.Cluster.Cluster.Get(_other).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
        }, Deadline);
    }

    protected override void AfterAll()
    {
        _other.Terminate().Wait(Deadline);
        base.AfterAll();
    }

    /// <summary>A node's relay and its client, as the node wires them.</summary>
    private static (LiveFeed<SessionLiveEvent> Feed, IActorRef Relay, OrchestratorClient Client) Node(ActorSystem system)
    {
        var feed = new LiveFeed<SessionLiveEvent>();
        var relay = system.ActorOf(SessionTokenRelay.Props(feed, DistributedPubSub.Get(system).Mediator), "session-tokens");
        return (feed, relay, new OrchestratorClient(ActorRefs.Nobody, feed, tokenRelay: relay));
    }

    [Fact]
    public async Task Tokens_generated_on_one_node_reach_a_client_following_the_session_on_the_other()
    {
        var (_, _, client) = Node(_other);
        var received = new ConcurrentQueue<FeedItem<SessionLiveEvent>>();
        var following = client.Events("s1").RunForeach(received.Enqueue, _other.Materializer());
        var topics = SessionTokenTopics.For(Sys)!;
        var worker = CreateTestProbe();

        // The other node's subscription reaches this node's mediator with the next gossip: chunks until then are lost,
        // as they are for any live follower that arrives late.
        var index = 0;
        await AwaitAssertAsync(() =>
        {
            topics.Publish(new TaskTokens("s1", "write", 2, index++, "chunk ✓", "1/2/dev"), worker.Ref);
            Assert.NotEmpty(received);
        }, Deadline, TimeSpan.FromMilliseconds(50));

        var first = Assert.IsType<FeedItem<SessionLiveEvent>.Event>(received.First());
        Assert.Equal("s1", first.Value.SessionId);
        Assert.Null(first.Value.SequenceNr);
        var tokens = Assert.IsType<TaskTokens>(first.Value.Event);
        Assert.Equal(("s1", "write", 2, "chunk ✓", "1/2/dev"), (tokens.SessionId, tokens.TaskId, tokens.Attempt, tokens.Text, tokens.Member));
        Assert.False(following.IsCompleted);
    }

    [Fact]
    public async Task Chunks_a_node_generated_itself_reach_its_feed_once_and_other_nodes_chunks_through_its_relay()
    {
        var (feed, relay, _) = Node(Sys);
        var received = new ConcurrentQueue<FeedItem<SessionLiveEvent>>();
        _ = feed.Subscribe().RunForeach(received.Enqueue, Sys.Materializer());
        await AwaitConditionAsync(() => Task.FromResult(feed.SubscriberCount == 1), Deadline);
        relay.Tell(new SessionTokenRelay.Follow("s1"));

        // A chunk from a worker of this node (already on the feed), then one from a worker of the other node: the first
        // is in the relay's mailbox before the second leaves the other node, so had it been published, it would come first.
        relay.Tell(new TaskTokens("s1", "write", 1, 0, "here"), TestActor);
        var elsewhere = _other.ActorOf(Props.Create(() => new Forwarder(relay.Path.ToStringWithAddress(Akka.Cluster.Cluster.Get(Sys).SelfAddress))));
        elsewhere.Tell(new TaskTokens("s1", "write", 1, 1, "there"));

        await AwaitAssertAsync(() => Assert.NotEmpty(received), Deadline);
        var only = Assert.IsType<FeedItem<SessionLiveEvent>.Event>(Assert.Single(received));
        Assert.Equal("there", ((TaskTokens)only.Value.Event).Text);
    }

    /// <summary>Sends what it receives to an actor of the first node, as itself: the relay sees a sender of another node.</summary>
    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(string target)
        {
            var selection = Context.ActorSelection(target);
            ReceiveAny(m => selection.Tell(m, Self));
        }
    }
}
