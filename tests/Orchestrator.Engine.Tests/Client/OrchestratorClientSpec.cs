using Akka.TestKit.Xunit2;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Client;

/// <summary>The client's typed results: each call gives the reply it asks for, or not found, or rejected; an invalid
/// id is answered without a message sent; a reply of another kind is a protocol error, not a value.</summary>
public sealed class OrchestratorClientSpec(ITestOutputHelper output) : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private OrchestratorClient Client(Akka.TestKit.TestProbe sessions) =>
        new(sessions.Ref, new LiveFeed<SessionLiveEvent>(), Deadline);

    private static SessionStatus Status(string id) =>
        new(id, SessionLifecycle.Running, "t", 1, 2, 0, 0, 0, 1, 0, null, null);

    [Fact]
    public async Task Each_call_gives_the_reply_it_asks_for()
    {
        var sessions = CreateTestProbe();
        var client = Client(sessions);

        var status = client.StatusAsync("s1");
        sessions.ExpectMsg<GetSessionStatus>(Deadline);
        sessions.Reply(Status("s1"));

        var result = await status;
        Assert.Equal(SessionLifecycle.Running, result.OrThrow().Lifecycle);
        Assert.Null(result.NotFound);
        Assert.Null(result.Rejected);
    }

    [Fact]
    public async Task Not_found_and_rejected_are_results_and_OrThrow_says_why()
    {
        var sessions = CreateTestProbe();
        var client = Client(sessions);

        var pause = client.PauseAsync("gone");
        sessions.ExpectMsg<PauseSession>(Deadline);
        sessions.Reply(new SessionNotFound("gone"));
        var missing = await pause;
        Assert.Null(missing.Value);
        Assert.Equal("gone", Assert.IsType<SessionNotFound>(missing.NotFound).SessionId);
        Assert.Contains("No session 'gone'", Assert.Throws<InvalidOperationException>(() => missing.OrThrow()).Message);

        var resume = client.ResumeAsync("done");
        sessions.ExpectMsg<ResumeSession>(Deadline);
        sessions.Reply(new SessionRejected("done", ["the session is finished"]));
        var refused = await resume;
        Assert.Equal(409, refused.Match(_ => 200, _ => 404, _ => 409));
        Assert.Contains("the session is finished", Assert.Throws<InvalidOperationException>(() => refused.OrThrow()).Message);
    }

    [Fact]
    public async Task An_invalid_id_is_answered_here_and_nothing_is_sent()
    {
        var sessions = CreateTestProbe();
        var client = Client(sessions);

        var start = await client.StartAsync("bad id!", "t", new Dictionary<string, string>());
        var status = await client.StatusAsync("bad id!");

        Assert.Contains("session id 'bad id!'", Assert.Single(Assert.IsType<SessionRejected>(start.Rejected).Problems));
        Assert.IsType<SessionNotFound>(status.NotFound);
        sessions.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_reply_of_another_kind_is_a_protocol_error()
    {
        var sessions = CreateTestProbe();
        var client = Client(sessions);

        var start = client.StartAsync("s1", "t", new Dictionary<string, string>());
        sessions.ExpectMsg<StartSession>(Deadline);
        sessions.Reply(Status("s1"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("SessionStatus where SessionStarted was expected", error.Message);
    }
}
