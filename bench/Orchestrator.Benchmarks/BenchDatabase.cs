using Akka.Configuration;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>A fresh, empty database for one measurement: a new SQLite file (WAL, claimed like a node claims it) or a new
/// database on the run's throwaway PostgreSQL server, with the node's persistence settings pointing at it.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private static PostgresServer? _postgres;
    private static int _counter;
    private readonly SqliteDatabaseFile? _claim;
    private readonly string? _folder;

    private BenchDatabase(PersistenceSettings settings, SqliteDatabaseFile? claim, string? folder)
    {
        Settings = settings;
        _claim = claim;
        _folder = folder;
    }

    /// <summary>The node's persistence settings for this database.</summary>
    public PersistenceSettings Settings { get; }

    /// <summary>The driver connection string.</summary>
    public string ConnectionString => ConnectionStrings.For(Settings);

    public bool IsSqlite => Settings.Provider == PersistenceProvider.Sqlite;

    /// <summary>A new database; <paramref name="tune"/> changes the node's default settings (synchronous, batch size...).</summary>
    public static async Task<BenchDatabase> CreateAsync(PersistenceProvider provider, Func<PersistenceSettings, PersistenceSettings>? tune = null)
    {
        var n = Interlocked.Increment(ref _counter);
        if (provider == PersistenceProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"orch-bench-{Environment.ProcessId}-{n}");
            var path = Path.Combine(folder, "journal.db");
            var claim = SqliteDatabaseFile.Claim(path);
            var settings = PersistentActorSystemSetup.Settings(PersistenceProvider.Sqlite, path);
            return new BenchDatabase(tune?.Invoke(settings) ?? settings, claim, folder);
        }

        _postgres ??= await PostgresServer.StartAsync();
        var connection = await _postgres.CreateDatabaseAsync($"bench_{Environment.ProcessId}_{n}");
        var pg = PersistentActorSystemSetup.Settings(PersistenceProvider.PostgreSql, connection);
        return new BenchDatabase(tune?.Invoke(pg) ?? pg, null, null);
    }

    /// <summary>Stops the PostgreSQL server if one was started.</summary>
    public static async Task StopServersAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        _postgres = null;
    }

    /// <summary>A short description of the settings that matter for the journal's speed.</summary>
    public string Describe() => IsSqlite
        ? $"sqlite synchronous={Settings.SqliteSynchronous} batch-size={Settings.BatchSize} parallelism={Settings.Parallelism}"
        : $"postgresql batch-size={Settings.BatchSize} parallelism={Settings.Parallelism}";

    public ValueTask DisposeAsync()
    {
        _claim?.Dispose();
        // Idle pooled connections of a finished database would otherwise use up the server's max_connections.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    /// <summary>HOCON that quiets logging for benchmarks.</summary>
    public static Config Quiet => ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
}
