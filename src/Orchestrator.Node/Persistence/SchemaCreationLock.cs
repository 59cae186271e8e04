using Npgsql;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Health;

namespace Orchestrator.Node.Persistence;

/// <summary>On PostgreSQL, nodes starting together each create the journal's tables (the plugin's auto-initialize), and
/// concurrent <c>CREATE TABLE IF NOT EXISTS</c> statements collide in PostgreSQL's catalog: one node's journal then
/// fails to initialize and its sessions never persist. This hosted service, started before the actor system, holds a
/// PostgreSQL advisory lock until the node's journal has answered, so nodes create the tables one after another (a
/// later start finds them and holds the lock for a moment).</summary>
public sealed class SchemaCreationLock(NodeSettings settings, NodeReadiness readiness, ILogger<SchemaCreationLock> logger) : IHostedService
{
    // An arbitrary constant naming this lock among the database's advisory locks.
    private const long LockKey = 0x6F72636873636865; // "orchsche"
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Persistence.Provider != PersistenceProvider.PostgreSql)
            return;
        var connection = new NpgsqlConnection(ConnectionStrings.For(settings.Persistence));
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(MaxWait);
            await connection.OpenAsync(wait.Token).ConfigureAwait(false);
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection))
                await take.ExecuteNonQueryAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The database is unreachable or another node holds the lock too long: start anyway; readiness says why
            // the journal does not answer if it does not.
            logger.LogWarning("Starting without the schema creation lock: {Problem}", e.Message);
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }
        _ = ReleaseWhenJournalAnswersAsync(connection);
    }

    private async Task ReleaseWhenJournalAnswersAsync(NpgsqlConnection connection)
    {
        try
        {
            await readiness.WhenJournalAnswers.WaitAsync(MaxWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The journal did not answer within {Seconds} s: releasing the schema creation lock", MaxWait.TotalSeconds);
        }
        finally
        {
            // Closing the session releases its advisory locks.
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
