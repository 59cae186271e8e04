using Npgsql;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Persistence;

public sealed class PostgresServerSpec
{
    [Fact]
    public async Task Throwaway_server_answers_on_loopback_and_creates_databases()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("spec_db");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_database() || ' ' || inet_server_addr()::text";
        Assert.Equal("spec_db 127.0.0.1/32", (string?)await command.ExecuteScalarAsync());
    }
}
