using System.Collections.Concurrent;
using Npgsql;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>One throwaway PostgreSQL server for every spec of the <see cref="PostgresCollection"/>, and a fresh database
/// per spec class (specs inside one class use fresh persistence ids).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<Type, Lazy<SpecDatabase>> _databases = new();
    private PostgresServer? _server;

    /// <summary>The database of <paramref name="specClass"/>, created on first use.</summary>
    public SpecDatabase DatabaseFor(Type specClass) =>
        _databases.GetOrAdd(specClass, type => new Lazy<SpecDatabase>(() => Create(type))).Value;

    private SpecDatabase Create(Type specClass)
    {
        var server = _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialized.");
        var name = $"{specClass.Name.ToLowerInvariant()}_{_databases.Count}";
        return SpecDatabase.PostgreSql(server.CreateDatabaseAsync(name).GetAwaiter().GetResult());
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>The specs that share the one PostgreSQL server of <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL";
}
