using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Npgsql;
using Orchestrator.Node.Clustering;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>The node's <see cref="LeaseKeeper"/> on a real PostgreSQL: a lease whose acquire was still in flight when a
/// renewal began is not declared lost by that renewal (a loaded node saw a new shard lose its lease within 300 ms and
/// drop the session it was starting).</summary>
public sealed class LeaseKeeperSpec
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_lease_acquired_while_a_renewal_runs_is_not_lost_by_that_renewal()
    {
        await using var server = await PostgresServer.StartAsync();
        var connection = await server.CreateDatabaseAsync("leases");
        using var system = ActorSystem.Create("lease-spec", BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString("""
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                """))
            .And(new LeaseKeeperSetup(new LeaseKeeperSettings(connection, TimeSpan.FromSeconds(30), Heartbeat, TimeSpan.FromSeconds(30)))));
        var keeper = LeaseKeeper.Get(system);
        Assert.True(await keeper.AcquireAsync("held", null)); // the heartbeat renews from now on
        await using (var database = new NpgsqlConnection(connection))
        {
            await database.OpenAsync();
            await using var expired = new NpgsqlCommand("INSERT INTO cluster_lease VALUES ('new', 'gone-node', now() - interval '1 minute')", database);
            await expired.ExecuteNonQueryAsync();
        }

        // The acquire of "new" waits on its row; then a renewal begins and waits on the row of "held".
        await using var newRow = await LockAsync(connection, "new");
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acquiring = keeper.AcquireAsync("new", e => lost.TrySetResult(e));
        await WaitingOnLocksAsync(connection, 1);
        await using var heldRow = await LockAsync(connection, "held");
        await WaitingOnLocksAsync(connection, 2);

        // The acquire ends first; the renewal, which began before it, ends after it without having seen "new".
        await newRow.DisposeAsync();
        Assert.True(await acquiring.WaitAsync(TimeSpan.FromSeconds(10)));
        await heldRow.DisposeAsync();

        // That renewal ends now; it (and the next few) must leave "new" held.
        await WaitingOnLocksAsync(connection, 0);
        if (await Task.WhenAny(lost.Task, Task.Delay(Heartbeat * 5)) == lost.Task)
            Assert.Fail($"The lease was declared lost: {(await lost.Task)?.Message}");
        Assert.True(keeper.Holds("new"));
    }

    /// <summary>Waits until exactly <paramref name="count"/> statements of the database wait for a row lock.</summary>
    private static Task WaitingOnLocksAsync(string connectionString, int count) =>
        Eventually.HoldsAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()", connection);
            return Convert.ToInt32(await query.ExecuteScalarAsync()) == count;
        }, TimeSpan.FromSeconds(30), () => $"{count} statements waiting on a row lock");

    /// <summary>A connection whose open transaction holds the row of lease <paramref name="name"/> locked until the
    /// connection is closed.</summary>
    private static async Task<NpgsqlConnection> LockAsync(string connectionString, string name)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM cluster_lease WHERE name = @name FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteScalarAsync();
        return connection;
    }
}
