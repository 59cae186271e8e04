using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Engine.Sessions;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Tests.Api;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>A session message that reaches a session's entity as it stops is answered by the session's next
/// incarnation, not lost to dead letters. This is the race a session whose recovery fails runs: it answers whoever asked
/// while it recovered, then Akka stops it, and a query the shard delivered in between used to wait for its timeout.
/// Here the entity has stopped for sure (it passivated, watched to its end) before the query reaches its mailbox, which
/// is what the race does in its millisecond.</summary>
public sealed class SessionLetterReturnSpec : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_query_that_reaches_a_stopped_session_entity_is_answered_by_its_next_incarnation()
    {
        var system = _node.Services.GetRequiredService<ActorSystem>();
        var region = _node.Services.GetRequiredService<ActorRegistry>().Get<SessionRegion>();

        // A query for a session nobody started: its entity answers that it is not found, and passivates.
        var stopped = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new EntityWatcher(region, new GetSessionStatus("never-started"), stopped)));
        var entity = await stopped.Task.WaitAsync(Deadline);

        // Told to the entity that stopped: without the return, it goes to dead letters and this ask times out.
        var reply = await entity.Ask<ISessionReply>(new GetSessionStatus("never-started"), Deadline);
        Assert.Equal("never-started", Assert.IsType<SessionNotFound>(reply).SessionId);
    }

    /// <summary>Asks <paramref name="query"/> through the region, notes which entity answered, and completes with it once
    /// it has stopped.</summary>
    private sealed class EntityWatcher : ReceiveActor
    {
        public EntityWatcher(IActorRef region, ISessionMessage query, TaskCompletionSource<IActorRef> stopped)
        {
            Receive<SessionNotFound>(_ => Context.Watch(Sender));
            Receive<Terminated>(t => stopped.TrySetResult(t.ActorRef));
            region.Tell(query);
        }
    }
}
