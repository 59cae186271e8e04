using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;

namespace Orchestrator.Engine.Tests.Streams;

/// <summary>A node's <see cref="SessionTokenRelay"/> holds a session's topic exactly while a client of the node follows
/// the session: one subscription however many clients, given up with the last of them.</summary>
public sealed class SessionTokenRelaySpec : TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public SessionTokenRelaySpec() : base(EngineTestConfig.Default)
    {
    }

    [Fact]
    public void A_session_s_topic_is_subscribed_with_its_first_follower_and_left_with_its_last()
    {
        var mediator = CreateTestProbe();
        var relay = Sys.ActorOf(SessionTokenRelay.Props(new LiveFeed<SessionLiveEvent>(), mediator.Ref));

        relay.Tell(new SessionTokenRelay.Follow("s1"));
        relay.Tell(new SessionTokenRelay.Follow("s1"));
        relay.Tell(new SessionTokenRelay.Follow("s2"));
        relay.Tell(new SessionTokenRelay.Unfollow("s1"));
        relay.Tell(new SessionTokenRelay.Unfollow("s1"));
        relay.Tell(new SessionTokenRelay.Unfollow("s1"));

        // Messages to the mediator keep their order: had the second follower or the first leave sent anything, it
        // would come before the next one expected.
        Assert.Equal(SessionTokenTopics.TopicOf("s1"), mediator.ExpectMsg<Subscribe>(Deadline).Topic);
        Assert.Equal(SessionTokenTopics.TopicOf("s2"), mediator.ExpectMsg<Subscribe>(Deadline).Topic);
        Assert.Equal(SessionTokenTopics.TopicOf("s1"), mediator.ExpectMsg<Unsubscribe>(Deadline).Topic);
        relay.Tell(new SessionTokenRelay.Follow("s3"));
        Assert.Equal(SessionTokenTopics.TopicOf("s3"), mediator.ExpectMsg<Subscribe>(Deadline).Topic);
    }

    [Fact]
    public void A_client_following_one_session_follows_it_while_its_stream_runs()
    {
        var mediator = CreateTestProbe();
        var feed = new LiveFeed<SessionLiveEvent>();
        var relay = Sys.ActorOf(SessionTokenRelay.Props(feed, mediator.Ref));
        var client = new OrchestratorClient(CreateTestProbe().Ref, feed, tokenRelay: relay);

        var (kill, _) = client.Events("s1").ViaMaterialized(KillSwitches.Single<FeedItem<SessionLiveEvent>>(), Keep.Right)
            .ToMaterialized(Sink.Ignore<FeedItem<SessionLiveEvent>>(), Keep.Both).Run(Sys.Materializer());
        Assert.Equal(SessionTokenTopics.TopicOf("s1"), mediator.ExpectMsg<Subscribe>(Deadline).Topic);

        kill.Shutdown();
        Assert.Equal(SessionTokenTopics.TopicOf("s1"), mediator.ExpectMsg<Unsubscribe>(Deadline).Topic);
    }
}
