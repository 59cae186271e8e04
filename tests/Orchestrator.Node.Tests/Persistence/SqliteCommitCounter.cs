using System.Data.Common;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>Counts the write transactions SQLite commits on the journal's connections: a linq2db connection interceptor
/// added to the node's own <see cref="DataOptionsSetup"/> registers SQLite's commit hook on every connection the plugin
/// opens, and <see cref="Writer"/> on the connection of the journal's writer. The hook runs once per committed write transaction (read-only transactions do not call it), whatever the
/// plugin or the driver do above it.</summary>
public sealed class SqliteCommitCounter : ConnectionInterceptor
{
    private long _commits;

    /// <summary>Write transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>The node's setup for <paramref name="settings"/> with this counter added to its connections.</summary>
    public DataOptionsSetup Wrap(PersistenceSettings settings) =>
        new(JournalConnectionSetup.DataOptionsFor(settings).UseInterceptor(this));

    /// <summary>The setup that adds this counter to the connection of the journal's own writer (<see cref="SqliteWriteJournal"/>),
    /// which writes the events on SQLite.</summary>
    public SqliteWriteJournalSetup Writer => new(connectionOpened: Hook);

    /// <inheritdoc />
    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Hook(connection);

    /// <inheritdoc />
    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        Hook(connection);
        return Task.CompletedTask;
    }

    private void Hook(DbConnection connection) =>
        SQLitePCL.raw.sqlite3_commit_hook(((SqliteConnection)connection).Handle, OnCommit, null);

    private int OnCommit(object userData)
    {
        Interlocked.Increment(ref _commits);
        return 0; // 0: let the commit proceed
    }
}
