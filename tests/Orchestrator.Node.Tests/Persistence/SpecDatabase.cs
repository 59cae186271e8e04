using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>A database a spec class persists to: the node's persistence settings for it, and plain ADO access to
/// read or tamper with the journal's tables behind the plugin's back.</summary>
public sealed record SpecDatabase(PersistenceSettings Settings)
{
    /// <summary>The SQLite file at <paramref name="path"/>, with the node's defaults otherwise.</summary>
    public static SpecDatabase Sqlite(string path) =>
        new(PersistentActorSystemSetup.Settings(PersistenceProvider.Sqlite, path));

    /// <summary>The PostgreSQL database of <paramref name="connectionString"/>, with the node's defaults otherwise.</summary>
    public static SpecDatabase PostgreSql(string connectionString) =>
        new(PersistentActorSystemSetup.Settings(PersistenceProvider.PostgreSql, connectionString));

    /// <summary>A node's settings that persist to this PostgreSQL database, as HOCON.</summary>
    public string PostgreSqlHocon => $"""
        orchestrator.persistence.provider = postgresql
        orchestrator.persistence.postgresql.connection-string = {HoconText.Quote(Settings.PostgreSqlConnectionString)}
        """;

    /// <summary>An open connection of the provider's own driver (not linq2db, not pooled with the plugin's).</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Settings.Provider == PersistenceProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Settings.SqlitePath, Pooling = false, DefaultTimeout = 30 }.ToString())
            : new NpgsqlConnection(Settings.PostgreSqlConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> with named parameters (<c>@name</c>) and returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync();
    }
}
