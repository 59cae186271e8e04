using Orchestrator.Client;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>The <c>session</c> shard region routes commands by session id; a reply sent to it by mistake is not a
/// command for any session.</summary>
public class SessionRoutingSpec
{
    private readonly SessionMessageExtractor _extractor = new(100);

    [Fact]
    public void Commands_are_routed_to_their_session()
    {
        Assert.Equal("s1", _extractor.EntityId(new GetSessionStatus("s1")));
        Assert.Equal("s2", _extractor.EntityId(new StartSession("s2", "t", new Dictionary<string, string>())));
    }

    [Fact]
    public void Replies_carry_no_routing_marker_and_are_not_routed()
    {
        ISessionReply[] replies =
        [
            new SessionStarted("s1"), new SessionNotFound("s1"), new SessionRejected("s1", ["no"]),
            new SessionStatus("s1", SessionLifecycle.Running, "t", 1, 1, 0, 0, 0, 0, 0, null, null),
        ];

        Assert.All(replies, r => Assert.IsNotAssignableFrom<ISessionMessage>(r));
        Assert.All(replies, r => Assert.Null(_extractor.EntityId(r)));
    }
}
