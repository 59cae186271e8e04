using Microsoft.Data.Sqlite;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>The driver connection string of the configured database.</summary>
public static class ConnectionStrings
{
    /// <summary>For SQLite, a pooled connection to the file at its full path; for PostgreSQL, the configured string.</summary>
    public static string For(PersistenceSettings settings) => settings.Provider switch
    {
        PersistenceProvider.Sqlite => new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(settings.SqlitePath),
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(settings.SqliteBusyTimeout.TotalSeconds),
        }.ToString(),
        _ => settings.PostgreSqlConnectionString,
    };
}
