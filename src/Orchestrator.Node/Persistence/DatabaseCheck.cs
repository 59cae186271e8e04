using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>Opens a plain connection to the configured database, to say in words why the journal does not answer.</summary>
/// <remarks>Npgsql's types are named only in the PostgreSQL methods, so a node on SQLite never loads that assembly.</remarks>
public static class DatabaseCheck
{
    /// <summary>Null when the database answers <c>SELECT 1</c>; otherwise what went wrong, naming the database.</summary>
    public static async Task<string?> ProblemAsync(PersistenceSettings settings, CancellationToken cancellationToken)
    {
        var connectionString = ConnectionStrings.For(settings);
        await using var connection = settings.Provider == PersistenceProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : PostgreSqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            return $"{Describe(settings)} is unreachable: {e.Message}";
        }
    }

    /// <summary>The database in words, without secrets.</summary>
    public static string Describe(PersistenceSettings settings)
    {
        if (settings.Provider == PersistenceProvider.Sqlite)
            return $"SQLite database '{Path.GetFullPath(settings.SqlitePath)}'";
        return DescribePostgreSql(settings.PostgreSqlConnectionString);
    }

    private static DbConnection PostgreSqlConnection(string connectionString) => new NpgsqlConnection(connectionString);

    private static string DescribePostgreSql(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port}";
    }
}
