namespace Orchestrator.Node.Configuration;

/// <summary>The journal's database, its write batching and how its queries poll and page.</summary>
public sealed record PersistenceSettings(
    PersistenceProvider Provider,
    string SqlitePath,
    SqliteSynchronous SqliteSynchronous,
    TimeSpan SqliteBusyTimeout,
    bool SqliteCheckAtStart,
    string PostgreSqlConnectionString,
    int BatchSize,
    int Parallelism,
    TimeSpan QueryRefreshInterval,
    int QueryBatchSize)
{
    /// <summary>Reads <c>orchestrator.persistence</c>.</summary>
    public static PersistenceSettings From(NodeConfig c)
    {
        const string root = "orchestrator.persistence";
        var provider = c.Read($"{root}.provider", (x, p) => x.GetString(p), "sqlite or postgresql").ToLowerInvariant() switch
        {
            "sqlite" => PersistenceProvider.Sqlite,
            "postgresql" or "postgres" => PersistenceProvider.PostgreSql,
            var other => throw new ConfigurationException(
                $"Configuration key '{root}.provider' in {c.OriginOf($"{root}.provider")}: expected sqlite or postgresql, got '{other}'."),
        };
        var synchronous = c.Read($"{root}.sqlite.synchronous", (x, p) => x.GetString(p), "FULL or NORMAL").ToUpperInvariant() switch
        {
            "FULL" => SqliteSynchronous.Full,
            "NORMAL" => SqliteSynchronous.Normal,
            var other => throw new ConfigurationException(
                $"Configuration key '{root}.sqlite.synchronous' in {c.OriginOf($"{root}.sqlite.synchronous")}: expected FULL or NORMAL, got '{other}'."),
        };
        var connection = c.Read($"{root}.postgresql.connection-string", (x, p) => x.GetString(p) ?? "", "an Npgsql connection string");
        if (provider == PersistenceProvider.PostgreSql && connection.Length == 0)
            throw new ConfigurationException(
                $"'{root}.provider' is postgresql but '{root}.postgresql.connection-string' is empty: set it (or ORCH_POSTGRES_CONNECTION).");
        var batchSize = c.Read($"{root}.batch-size", (x, p) => x.GetInt(p), "a positive number of rows");
        if (batchSize < 1)
            throw new ConfigurationException($"Configuration key '{root}.batch-size' in {c.OriginOf($"{root}.batch-size")}: expected a positive number, got {batchSize}.");
        var parallelismKey = provider == PersistenceProvider.Sqlite ? $"{root}.sqlite-parallelism" : $"{root}.postgresql-parallelism";
        var parallelism = c.Read(parallelismKey, (x, p) => x.GetInt(p), "a positive number");
        if (parallelism < 1)
            throw new ConfigurationException($"Configuration key '{parallelismKey}' in {c.OriginOf(parallelismKey)}: expected a positive number, got {parallelism}.");
        return new PersistenceSettings(
            provider,
            c.Read($"{root}.sqlite.path", (x, p) => x.GetString(p), "a file path"),
            synchronous,
            SettingRules.Duration(c, $"{root}.sqlite.busy-timeout"),
            c.Read($"{root}.sqlite.check-at-start", (x, p) => x.GetBoolean(p), "on or off"),
            connection,
            batchSize,
            parallelism,
            SettingRules.Duration(c, $"{root}.query-refresh-interval"),
            SettingRules.AtLeast(c, $"{root}.query-batch-size", 1));
    }
}

/// <summary>SQLite's <c>PRAGMA synchronous</c>: how durable an acknowledged write is.</summary>
public enum SqliteSynchronous
{
    /// <summary>Survives a power loss (fsync at every commit).</summary>
    Full,
    /// <summary>Survives a process crash; the last commits may be lost on a power loss (WAL).</summary>
    Normal,
}
