using Akka.Actor;
using Akka.Pattern;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Engine.Persistence;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>PostgreSQL goes away mid-run: the writer stops, restarts with back-off, acknowledges nothing it could not
/// store, and carries on from what is durable once the database is back.</summary>
public sealed class DatabaseOutageSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private TestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        var connection = await _server.CreateDatabaseAsync("outage") + ";Timeout=3;Command Timeout=5";
        var settings = PersistentActorSystemSetup.Settings(PersistenceProvider.PostgreSql, connection);
        _kit = new TestKit(PersistentActorSystemSetup.For(settings, JournalSpecBase.Overrides), nameof(DatabaseOutageSpec), output);
    }

    public async Task DisposeAsync()
    {
        _kit.Shutdown();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Writer_restarts_with_backoff_and_keeps_exactly_what_was_acknowledged()
    {
        var writer = _kit.Sys.ActorOf(
            PersistentBackoff.Props(JournalProbe.Props("outage"), "probe", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
            "writer");
        writer.Tell(new ProbeCommands.Write(1, 10, Tagged: false), _kit.TestActor);
        for (var i = 1; i <= 10; i++)
            _kit.ExpectMsg<ProbeCommands.Written>(w => w.Number == i, TimeSpan.FromSeconds(20));
        var firstChild = CurrentChild(writer);

        await _server.StopAsync();
        writer.Tell(new ProbeCommands.Write(11, 5, Tagged: false), _kit.TestActor);

        // The failed write stops the probe; the supervisor starts a new one, which cannot recover yet.
        _kit.AwaitAssert(() => Assert.NotEqual(firstChild, CurrentChild(writer)), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        _kit.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        await _server.StartAgainAsync();

        ProbeCommands.State? state = null;
        await _kit.AwaitAssertAsync(async () =>
        {
            state = await writer.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), TimeSpan.FromSeconds(2));
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        Assert.Equal(10, state!.Count);
        Assert.Equal(10, state.LastSequenceNr);

        writer.Tell(new ProbeCommands.Write(11, 5, Tagged: false), _kit.TestActor);
        for (var i = 11; i <= 15; i++)
            _kit.ExpectMsg<ProbeCommands.Written>(w => w.Number == i, TimeSpan.FromSeconds(20));
    }

    private IActorRef CurrentChild(IActorRef supervisor) =>
        supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, TimeSpan.FromSeconds(5)).Result.Ref;
}
