using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>The node's session gateway forwards session messages to the region with their sender, and answers anything
/// else, and any id no session can have, to that sender only, routing nothing.</summary>
public sealed class SessionGatewaySpec(ITestOutputHelper output) : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_session_message_reaches_the_region_with_its_sender()
    {
        var region = CreateTestProbe();
        var gateway = Sys.ActorOf(SessionGatewayActor.Props(region));
        var caller = CreateTestProbe();

        gateway.Tell(new SubscribeToSession("s1"), caller);

        region.ExpectMsg<SubscribeToSession>(Deadline);
        Assert.Equal(caller.Ref, region.LastSender);
    }

    [Fact]
    public void Anything_else_and_impossible_ids_are_refused_to_their_sender_only_and_nothing_is_routed()
    {
        var region = CreateTestProbe();
        var gateway = Sys.ActorOf(SessionGatewayActor.Props(region));
        var (hostile, bystander) = (CreateTestProbe(), CreateTestProbe());
        gateway.Tell(new SubscribeToSession("s1"), bystander);
        region.ExpectMsg<SubscribeToSession>(Deadline);

        gateway.Tell("drop table sessions", hostile);
        gateway.Tell(new ListSessions(), hostile);
        gateway.Tell(new StartSession("../etc", "t", new Dictionary<string, string>()), hostile);
        gateway.Tell(new SubscribeToSession(new string('x', 100_000)), hostile);

        Assert.Equal("String", hostile.ExpectMsg<GatewayRefused>(Deadline).MessageType);
        Assert.Equal("ListSessions", hostile.ExpectMsg<GatewayRefused>(Deadline).MessageType);
        Assert.NotEmpty(hostile.ExpectMsg<SessionRejected>(Deadline).Problems);
        hostile.ExpectMsg<SessionNotFound>(Deadline);
        region.ExpectNoMsg(TimeSpan.Zero);
        bystander.ExpectNoMsg(TimeSpan.Zero);
        gateway.Tell(new GetSessionStatus("s1"), bystander); // the gateway serves on
        region.ExpectMsg<GetSessionStatus>(Deadline);
    }
}
