using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>Tells a damaged database from one that is out of reach: SQLite's <c>SQLITE_CORRUPT</c> or
/// <c>SQLITE_NOTADB</c>, PostgreSQL's <c>data_corrupted</c> (XX001) or <c>index_corrupted</c> (XX002). A damaged file
/// does not heal by waiting, and a write probe does not see it (the write lands on pages that are intact), so a
/// statement failing this way turns the node's readiness off until it is restarted on a repaired database.</summary>
public static class DatabaseDamage
{
    /// <summary>The damage <paramref name="error"/> or one of its causes reports, in the database's own words; null when
    /// it reports none.</summary>
    public static string? Of(Exception? error) => error switch
    {
        null => null,
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB } sqlite => sqlite.Message.TrimEnd('.'),
        DbException { SqlState: "XX001" or "XX002" } postgres => postgres.Message.TrimEnd('.'),
        _ => Of(error.InnerException),
    };

    /// <summary>What to do about a damaged SQLite file at <paramref name="path"/>.</summary>
    public static string SqliteAdvice(string path) =>
        $"Restore it from a backup; or keep what can be read with `sqlite3 '{path}' .recover | sqlite3 '{path}.recovered'` and give the " +
        "node that file; or move it aside (with its -wal and -shm files) to start with an empty journal";

    /// <summary>The node's not-ready reason once a statement found its database (<paramref name="settings"/>) damaged.</summary>
    public static string Reason(PersistenceSettings settings, string damage) =>
        $"{DatabaseCheck.Describe(settings)} is damaged ({damage}): the sessions whose events sit on the damaged part cannot be " +
        "recovered, and other reads and writes may fail. Stop the node. " + (settings.Provider == PersistenceProvider.Sqlite
            ? SqliteAdvice(Path.GetFullPath(settings.SqlitePath)) + "."
            : "Restore the database from a backup, or repair it as PostgreSQL's documentation says for data_corrupted errors.");
}
