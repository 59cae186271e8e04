using Npgsql;

namespace Orchestrator.Node.Clustering;

/// <summary>The <c>cluster_lease</c> table of the shared PostgreSQL database: one row per lease (a session shard, a
/// singleton, the split-brain resolver's decision) naming its owner and when it expires. Expiry is computed by the
/// database's clock (<c>now()</c>), never by a node's, so nodes with skewed clocks agree on who holds what. An owner is
/// one incarnation of one node (its address and its actor system's uid): a node restarted on the same address is a new
/// owner and waits for its previous incarnation's leases to expire like any other node.</summary>
public sealed class LeaseTable(NpgsqlDataSource database, TimeSpan timeToLive)
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS cluster_lease (
          name       text PRIMARY KEY,
          owner      text NOT NULL,
          expires_at timestamptz NOT NULL
        )
        """;

    // Takes a free or expired lease, or renews one the owner already holds (leases are re-entrant); the row comes back
    // only when the owner holds it afterwards. Under READ COMMITTED, ON CONFLICT DO UPDATE locks the row and evaluates
    // the WHERE on its newest version, so two owners racing for an expired lease cannot both win.
    private const string AcquireSql = """
        INSERT INTO cluster_lease (name, owner, expires_at) VALUES (@name, @owner, now() + @ttl)
        ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE cluster_lease.owner = EXCLUDED.owner OR cluster_lease.expires_at < now()
        RETURNING name
        """;

    // One statement renews every lease this owner holds: a node's heartbeat costs one round trip however many shards
    // it runs. The names that come back are those it still holds.
    private const string RenewSql = """
        UPDATE cluster_lease SET expires_at = now() + @ttl
        WHERE owner = @owner AND expires_at >= now()
        RETURNING name
        """;

    private const string ReleaseSql = "DELETE FROM cluster_lease WHERE name = @name AND owner = @owner";

    private const string OwnersSql = "SELECT owner, EXTRACT(EPOCH FROM now() - max(expires_at))::float8 FROM cluster_lease GROUP BY owner";

    private const string HolderSql = "SELECT owner FROM cluster_lease WHERE name = @name AND expires_at >= now()";

    private readonly SemaphoreSlim _created = new(1, 1);
    private volatile bool _exists;

    /// <summary>How long a lease stays held after its last renewal.</summary>
    public TimeSpan TimeToLive { get; } = timeToLive;

    /// <summary>True when <paramref name="owner"/> holds <paramref name="name"/> after the call.</summary>
    public async Task<bool> AcquireAsync(string name, string owner, CancellationToken ct)
    {
        await using var command = await CommandAsync(AcquireSql, ct).ConfigureAwait(false);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("ttl", TimeToLive);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string;
    }

    /// <summary>Extends every unexpired lease of <paramref name="owner"/>; returns the names it still holds.</summary>
    public async Task<HashSet<string>> RenewAllAsync(string owner, CancellationToken ct)
    {
        await using var command = await CommandAsync(RenewSql, ct).ConfigureAwait(false);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("ttl", TimeToLive);
        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            held.Add(reader.GetString(0));
        return held;
    }

    /// <summary>Gives <paramref name="name"/> up if <paramref name="owner"/> holds it; true when it did.</summary>
    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken ct)
    {
        await using var command = await CommandAsync(ReleaseSql, ct).ConfigureAwait(false);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("owner", owner);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>The owner holding <paramref name="name"/> now, or null when it is free.</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken ct)
    {
        await using var command = await CommandAsync(HolderSql, ct).ConfigureAwait(false);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    /// <summary>Every owner with a lease in the table, and how long ago its last lease expired by the database's clock
    /// (zero or less: it holds one now). Those holding leases are the node incarnations of the cluster running on this
    /// database; the others stopped without releasing theirs.</summary>
    public async Task<List<LeaseOwnerAge>> OwnersAsync(CancellationToken ct)
    {
        await using var command = await CommandAsync(OwnersSql, ct).ConfigureAwait(false);
        var owners = new List<LeaseOwnerAge>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            owners.Add(new LeaseOwnerAge(reader.GetString(0), TimeSpan.FromSeconds(reader.GetDouble(1))));
        return owners;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken ct)
    {
        if (!_exists)
        {
            await _created.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (!_exists)
                {
                    await using var create = database.CreateCommand(Create);
                    try
                    {
                        await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
                    {
                        // Another node created it at the same moment: IF NOT EXISTS does not serialize concurrent creators.
                    }
                    _exists = true;
                }
            }
            finally
            {
                _created.Release();
            }
        }
        return database.CreateCommand(sql);
    }
}

/// <summary>A lease owner and how long ago its last lease expired (zero or less while it holds one).</summary>
public sealed record LeaseOwnerAge(string Owner, TimeSpan ExpiredFor)
{
    /// <summary>True while the owner holds a lease.</summary>
    public bool Live => ExpiredFor <= TimeSpan.Zero;
}
