using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>Checks that the journal's database still takes a write: one row per node in table
/// <see cref="Table"/>, upserted and committed. Null when it was; otherwise what went wrong, naming the database.</summary>
/// <remarks>
/// <para>Why a committed write: a read (<c>SELECT 1</c>) goes on answering from a SQLite file made read-only or
/// from a full disk; a write lock that is rolled back (<c>BEGIN IMMEDIATE; ROLLBACK</c>) writes nothing, so it cannot
/// see a full disk, and in WAL mode it even succeeds on a read-only file (the lock lives in the <c>-shm</c> file).
/// A one-row upsert costs one small WAL frame (SQLite) or one tuple version (PostgreSQL) per probe, in a table the
/// node owns beside the journal's.</para>
/// <para>Why a fresh SQLite connection: a pooled connection keeps the file descriptor it opened read-write, so it
/// would go on writing to a file since made read-only, replaced or deleted; a new connection meets the file as the
/// journal's next connection (or the node's next start) will. It opens without creating, so a file that went missing
/// is reported, not silently replaced by an empty one. Opening a local file is cheap. Even a new connection may reuse
/// a descriptor SQLite kept from an earlier one, so the permissions are first asked of the operating system
/// (<see cref="SqliteFileAccess"/>).</para>
/// <para>On PostgreSQL the probe keeps its own pool of one connection (its application name sets it apart from the
/// journal's), cleared after a failure, so a stopped server is seen at the next probe and a restarted one at the
/// first probe after it is back. Npgsql's types are named only in the PostgreSQL methods, so a node on SQLite never
/// loads that assembly.</para>
/// </remarks>
internal sealed class JournalWriteProbe
{
    /// <summary>The table the probe writes: one row per node, its address and the time of its last probe.</summary>
    public const string Table = "orchestrator_node_health";

    private readonly PersistenceSettings _settings;
    private readonly string _node;
    private readonly string _connectionString;
    private bool _tableExists;

    /// <summary>A probe of the database of <paramref name="settings"/> writing as <paramref name="node"/>, each
    /// statement given at most <paramref name="timeout"/>.</summary>
    public JournalWriteProbe(PersistenceSettings settings, string node, TimeSpan timeout)
    {
        _settings = settings;
        _node = node;
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        _connectionString = settings.Provider == PersistenceProvider.Sqlite
            ? new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(settings.SqlitePath),
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = seconds,
            }.ToString()
            : PostgreSqlConnectionString(settings.PostgreSqlConnectionString, seconds);
    }

    /// <summary>Writes the node's row; null when it was committed, otherwise the problem in words (any exception but
    /// the cancellation of <paramref name="cancellationToken"/>). Not thread-safe: one probe at a time.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_settings.Provider == PersistenceProvider.Sqlite)
                // Microsoft.Data.Sqlite's calls complete synchronously: off the caller's thread, so a slow disk delays
                // only the probe.
                await Task.Run(WriteSqlite, cancellationToken).ConfigureAwait(false);
            else
                await WritePostgreSqlAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Every failure is an answer, whatever its type: an exception escaping here would end the monitor's loop,
            // and with it the node's readiness.
            // The database may come back as another one (restored from a backup) without the table.
            _tableExists = false;
            return Describe(e.Message.TrimEnd('.'));
        }
    }

    private string Describe(string error) => _settings.Provider == PersistenceProvider.Sqlite
        ? $"{DatabaseCheck.Describe(_settings)} does not take a write ({error}): check that the node's user can write the " +
          $"file and its folder, that the file is an intact SQLite database, and that the disk has room"
        : $"{DatabaseCheck.Describe(_settings)} does not take a write ({error})";

    private void WriteSqlite()
    {
        // A new connection may write through a descriptor opened before the file was made read-only: ask the
        // operating system first (see SqliteFileAccess).
        if (SqliteFileAccess.Problem(Path.GetFullPath(_settings.SqlitePath)) is { } denied)
            throw new IOException(denied);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        WriteRow(connection, _node);
    }

    /// <summary>Upserts <paramref name="node"/>'s row on an open SQLite connection, creating the table when missing
    /// (which writes nothing when it exists).</summary>
    internal static void WriteRow(SqliteConnection connection, string node)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE IF NOT EXISTS {Table} (node TEXT PRIMARY KEY, probed_at TEXT NOT NULL);" +
                              $"INSERT INTO {Table} (node, probed_at) VALUES ($node, $at) " +
                              "ON CONFLICT (node) DO UPDATE SET probed_at = excluded.probed_at;";
        command.Parameters.AddWithValue("$node", node);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        command.ExecuteNonQuery();
    }

    private async Task WritePostgreSqlAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            if (!_tableExists)
            {
                command.CommandText = $"CREATE TABLE IF NOT EXISTS {Table} (node TEXT PRIMARY KEY, probed_at TIMESTAMPTZ NOT NULL)";
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
                {
                    // Another node created it at the same moment (concurrent CREATE ... IF NOT EXISTS collide in the catalog).
                }
                _tableExists = true;
            }
            command.CommandText = $"INSERT INTO {Table} (node, probed_at) VALUES (@node, now()) " +
                                  "ON CONFLICT (node) DO UPDATE SET probed_at = excluded.probed_at";
            command.Parameters.AddWithValue("node", _node);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The pooled connection may be broken (a restarted server): the next probe opens a new one.
            NpgsqlConnection.ClearPool(connection);
            throw;
        }
    }

    private static string PostgreSqlConnectionString(string configured, int seconds) =>
        new NpgsqlConnectionStringBuilder(configured)
        {
            ApplicationName = "orchestrator-readiness",
            MaxPoolSize = 1,
            Timeout = seconds,
            CommandTimeout = seconds,
        }.ToString();
}
