using Microsoft.Data.Sqlite;
using Orchestrator.Core.Sessions;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>What a session left in a SQLite journal: rows and payload bytes of its events, and its snapshot.</summary>
internal static class SessionJournal
{
    /// <summary>Rows and payload bytes of session <paramref name="sessionId"/>'s events with a sequence number in
    /// (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public static async Task<(long Rows, long Bytes)> EventsAsync(BenchDatabase db, string sessionId, long after = 0, long upTo = long.MaxValue) =>
        await QueryAsync(db,
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(message)), 0) FROM journal WHERE persistence_id = @pid AND sequence_number > @after AND sequence_number <= @upTo",
            sessionId, after, upTo);

    /// <summary>Snapshots kept (older ones are deleted as new ones are saved) and their payload bytes.</summary>
    public static async Task<(long Rows, long Bytes)> SnapshotsAsync(BenchDatabase db, string sessionId) =>
        await QueryAsync(db, "SELECT COUNT(*), COALESCE(SUM(LENGTH(snapshot)), 0) FROM snapshot WHERE persistence_id = @pid", sessionId, 0, 0);

    private static async Task<(long Rows, long Bytes)> QueryAsync(BenchDatabase db, string sql, string sessionId, long after, long upTo)
    {
        if (!db.IsSqlite)
            throw new InvalidOperationException("journal bytes are read from SQLite only");
        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@pid", Orchestrator.Core.Ids.SessionId.PersistenceIdOf(sessionId));
        command.Parameters.AddWithValue("@after", after);
        command.Parameters.AddWithValue("@upTo", upTo);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
