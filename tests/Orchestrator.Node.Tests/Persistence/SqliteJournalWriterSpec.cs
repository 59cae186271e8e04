using Microsoft.Data.Sqlite;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The SQLite journal's writer: a write that fails fails its task and is signalled to the readiness monitor,
/// the next write opens a new connection and goes through, and a writer that has stopped refuses writes instead of
/// leaving them waiting.</summary>
public sealed class SqliteJournalWriterSpec(SqliteFileFixture file) : IClassFixture<SqliteFileFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly SpecDatabase _database = file.Database;

    [Fact]
    public async Task A_failed_write_is_signalled_and_the_next_one_goes_through_on_a_new_connection()
    {
        var faults = new JournalFaults();
        var opens = 0;
        using var writer = Writer(faults, _ => Interlocked.Increment(ref opens));

        // No journal table yet: the write fails, and the readiness monitor hears of it.
        var failed = await Assert.ThrowsAsync<SqliteException>(() => writer.WriteAsync("p-1", [Row("p-1", 1)]).WaitAsync(Deadline));
        Assert.Contains("no such table: journal", failed.Message);
        Assert.Contains("no such table: journal", await faults.WaitAsync(CancellationToken.None).AsTask().WaitAsync(Deadline));

        await _database.ExecuteAsync("""
            CREATE TABLE journal (ordering INTEGER PRIMARY KEY AUTOINCREMENT, deleted INTEGER NOT NULL, persistence_id TEXT NOT NULL,
              sequence_number INTEGER NOT NULL, created INTEGER NOT NULL, message BLOB NOT NULL, identifier INTEGER,
              manifest TEXT NOT NULL, writer_uuid TEXT, UNIQUE (persistence_id, sequence_number));
            CREATE TABLE tags (ordering_id INTEGER NOT NULL, tag TEXT NOT NULL, persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL,
              PRIMARY KEY (ordering_id, tag));
            """);
        await writer.WriteAsync("p-1", [Row("p-1", 1), Row("p-1", 2, "feed")]).WaitAsync(Deadline);
        await writer.WhenWrittenAsync("p-1").WaitAsync(Deadline);
        Assert.Equal(2, opens);
        Assert.Equal(["p-1|1|writer-1", "p-1|2|writer-1"], await ReadAsync(
            "SELECT persistence_id || '|' || sequence_number || '|' || writer_uuid FROM journal ORDER BY ordering"));
        Assert.Equal(["feed|p-1|2"], await ReadAsync("SELECT tag || '|' || persistence_id || '|' || sequence_nr FROM tags"));

        // A second writer of a sequence number breaks the unique key: its write fails, the connection stays.
        await Assert.ThrowsAsync<SqliteException>(() => writer.WriteAsync("p-1", [Row("p-1", 2)]).WaitAsync(Deadline));
        await writer.WriteAsync("p-1", [Row("p-1", 3)]).WaitAsync(Deadline);
        Assert.Equal(2, opens);
    }

    [Fact]
    public async Task A_stopped_writer_refuses_a_write_instead_of_leaving_it_waiting()
    {
        var writer = Writer(null, null);
        writer.Dispose();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync("p-2", [Row("p-2", 1)]).WaitAsync(Deadline));
        Assert.Contains("stopping", refused.Message);
    }

    private SqliteJournalWriter Writer(JournalFaults? faults, Action<SqliteConnection>? opened) =>
        new(ConnectionStrings.For(_database.Settings), JournalConnectionSetup.SqlitePragmas(_database.Settings), "writer-1", 100,
            faults is null ? null : faults.Signal, opened);

    private static SqliteJournalRow Row(string persistenceId, long sequenceNr, params string[] tags) =>
        new(persistenceId, sequenceNr, DateTime.UtcNow.Ticks, [1, 2, 3], 4127, "probe.v1", tags);

    private async Task<List<string>> ReadAsync(string sql)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
