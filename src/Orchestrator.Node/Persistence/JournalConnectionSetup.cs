using Akka.Persistence.Sql.Config;
using LinqToDB;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>The linq2db <see cref="DataOptions"/> handed to Akka.Persistence.Sql through <see cref="DataOptionsSetup"/>.
/// On SQLite it sets each physical connection's durability and busy timeout once (<see cref="SqliteConnectionPragmas"/>);
/// there the plugin only reads, deletes and saves snapshots: events are written by <see cref="SqliteWriteJournal"/>,
/// whose connection runs the same PRAGMAs. With <see cref="JournalFaults"/>, every failed statement is signalled to the
/// readiness monitor.</summary>
public static class JournalConnectionSetup
{
    /// <summary>The setup to add to the actor system's <c>ActorSystemSetup</c>; <paramref name="faults"/>, when given,
    /// hears of every failed statement.</summary>
    public static DataOptionsSetup For(PersistenceSettings settings, JournalFaults? faults = null) => new(DataOptionsFor(settings, faults));

    /// <summary>The linq2db options of <see cref="For"/>, for a caller that adds to them (the batching spec's commit counter).</summary>
    internal static DataOptions DataOptionsFor(PersistenceSettings settings, JournalFaults? faults = null)
    {
        var connection = ConnectionStrings.For(settings);
        var options = faults is null ? new DataOptions() : new DataOptions().UseInterceptor(faults);
        if (settings.Provider != PersistenceProvider.Sqlite)
            return options.UseConnectionString(ProviderName.PostgreSQL15, connection);

        var pragmas = new SqliteConnectionPragmas(SqlitePragmas(settings));
        return options
            .UseConnectionString(ProviderName.SQLiteMS, connection)
            .UseAfterConnectionOpened(
                pragmas.Apply,
                (c, _) =>
                {
                    pragmas.Apply(c);
                    return Task.CompletedTask;
                });
    }

    /// <summary>The per-connection PRAGMAs for <paramref name="settings"/>.</summary>
    internal static string SqlitePragmas(PersistenceSettings settings) =>
        $"PRAGMA synchronous={(settings.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};" +
        $"PRAGMA busy_timeout={(int)settings.SqliteBusyTimeout.TotalMilliseconds};";
}
