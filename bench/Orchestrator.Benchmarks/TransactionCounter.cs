using System.Data.Common;
using System.Reflection;
using Akka.Actor.Setup;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Benchmarks;

/// <summary>Counts the journal's write transactions, to see whether batches form. SQLite: a commit hook (and a
/// statement count, <see cref="SqliteStatements"/>) on every connection the plugin opens (added beside the node's own
/// connection hooks, which stay as they are) and on the connection of the journal's writer (<see cref="SqliteWriteJournal"/>). PostgreSQL: the
/// transaction ids assigned between two readings (every writing transaction takes one; reads take none).</summary>
internal static class TransactionCounter
{
    private static long _sqliteCommits;
    private static long _sqliteStatements;
    private static readonly SQLitePCL.delegate_commit OnCommit = _ =>
    {
        Interlocked.Increment(ref _sqliteCommits);
        return 0;
    };

    // SQLite's profile callback, not its trace: the legacy trace renders every statement with its bound values expanded
    // (the events as hex), which cost the measured chain more than its journal write; the profile gets the statement's
    // text as prepared, once it has run.
    private static readonly SQLitePCL.delegate_profile OnStatement = (_, _, _) => Interlocked.Increment(ref _sqliteStatements);

    /// <summary>SQL statements SQLite has started on the journal's connections so far (PRAGMAs, BEGIN and COMMIT
    /// included), to subtract: what one write costs in statements.</summary>
    public static long SqliteStatements => Interlocked.Read(ref _sqliteStatements);

    /// <summary><paramref name="setup"/> with its <see cref="DataOptionsSetup"/> and the journal's writer also counting
    /// SQLite commits.</summary>
    public static ActorSystemSetup Counting(ActorSystemSetup setup)
    {
        var existing = setup.Get<DataOptionsSetup>();
        if (!existing.HasValue)
            return setup;
        var options = (DataOptions)typeof(DataOptionsSetup)
            .GetProperty("DataOptions", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(existing.Value)!;
        return setup.And(new DataOptionsSetup(options.UseInterceptor(new CommitHook())))
            .And(new SqliteWriteJournalSetup(connectionOpened: CommitHook.Hook));
    }

    /// <summary>A reading to subtract: SQLite commits so far, or PostgreSQL's next transaction id.</summary>
    public static async Task<long> CountAsync(BenchDatabase db)
    {
        if (db.IsSqlite)
            return Interlocked.Read(ref _sqliteCommits);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Takes a transaction id itself: one per reading, subtracted by Between.
        command.CommandText = "SELECT pg_current_xact_id()::text::bigint";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Write transactions between two readings.</summary>
    public static long Between(BenchDatabase db, long before, long after) => db.IsSqlite ? after - before : after - before - 1;

    private sealed class CommitHook : ConnectionInterceptor
    {
        public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Hook(connection);

        public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        {
            Hook(connection);
            return Task.CompletedTask;
        }

        public static void Hook(DbConnection connection)
        {
            if (connection is not SqliteConnection sqlite)
                return;
            SQLitePCL.raw.sqlite3_commit_hook(sqlite.Handle, OnCommit, null);
            SQLitePCL.raw.sqlite3_profile(sqlite.Handle, OnStatement, null);
        }
    }
}
