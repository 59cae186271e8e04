using System.Data.Common;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The journal's SQLite connections get their PRAGMAs (synchronous, busy timeout) once per physical
/// connection: a connection reopened from Microsoft.Data.Sqlite's pool keeps them without running them again, and a
/// new physical connection gets them. Each case opens linq2db connections with the node's own options, as the plugin
/// opens them, on a file of its own (so that its pool holds only its connections).</summary>
public sealed class JournalConnectionPragmasSpec : IDisposable
{
    private const long Full = 2;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orch-pragmas-{Guid.NewGuid():N}");
    private readonly SqliteDatabaseFile _file;
    private readonly SpecDatabase _database;

    public JournalConnectionPragmasSpec()
    {
        _file = SqliteDatabaseFile.Claim(Path.Combine(_folder, "journal.db"));
        _database = SpecDatabase.Sqlite(_file.Path);
    }

    [Fact]
    public async Task A_connection_reopened_from_the_pool_keeps_synchronous_FULL_and_the_busy_timeout()
    {
        var options = JournalConnectionSetup.DataOptionsFor(_database.Settings);
        var busyTimeout = (long)_database.Settings.SqliteBusyTimeout.TotalMilliseconds;
        object? firstHandle = null;
        for (var open = 0; open < 4; open++)
        {
            // Both branches of the hook: the plugin opens asynchronously, schema creation and tools synchronously.
            await using var db = new DataConnection(options);
            var connection = open % 2 == 0 ? await db.OpenDbConnectionAsync(CancellationToken.None) : db.OpenDbConnection();
            firstHandle ??= Handle(connection);
            Assert.Same(firstHandle, Handle(connection)); // the pool handed back the same physical connection
            Assert.Equal(Full, Pragma(connection, "synchronous"));
            Assert.Equal(busyTimeout, Pragma(connection, "busy_timeout"));
        }
    }

    [Fact]
    public async Task The_PRAGMAs_run_once_per_physical_connection_not_on_every_open()
    {
        var options = JournalConnectionSetup.DataOptionsFor(_database.Settings);
        object handle;
        await using (var db = new DataConnection(options))
        {
            var connection = await db.OpenDbConnectionAsync(CancellationToken.None);
            handle = Handle(connection);
            // A mark the hook would overwrite if it ran the PRAGMAs again on the next open of this physical connection.
            Execute(connection, "PRAGMA busy_timeout=1234;");
        }

        await using (var db = new DataConnection(options))
        {
            var connection = await db.OpenDbConnectionAsync(CancellationToken.None);
            Assert.Same(handle, Handle(connection));
            Assert.Equal(1234, Pragma(connection, "busy_timeout"));
            Assert.Equal(Full, Pragma(connection, "synchronous"));
        }

        // A cleared pool closes the physical connection; the next one is new and gets the PRAGMAs.
        ClearPool();
        await using (var db = new DataConnection(options))
        {
            var connection = await db.OpenDbConnectionAsync(CancellationToken.None);
            Assert.NotSame(handle, Handle(connection));
            Assert.Equal((long)_database.Settings.SqliteBusyTimeout.TotalMilliseconds, Pragma(connection, "busy_timeout"));
            Assert.Equal(Full, Pragma(connection, "synchronous"));
        }
    }

    private static object Handle(DbConnection connection) => ((SqliteConnection)connection).Handle!;

    private static long Pragma(DbConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // This file's pool only: other spec classes run beside this one with connections of their own.
    private void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionStrings.For(_database.Settings));
        SqliteConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        ClearPool();
        _file.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
