using Npgsql;

namespace Orchestrator.Testing;

/// <summary>A throwaway PostgreSQL server: Debian's <c>postgresql</c> package (installed when missing), a new cluster in a
/// temporary folder, listening on a free loopback port, run as the <c>postgres</c> user when this process is root
/// (PostgreSQL refuses to run as root). Stopped and deleted on dispose.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private readonly string _bin;
    private readonly string _root;

    private PostgresServer(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Installs PostgreSQL if needed, creates a cluster and starts it on <paramref name="port"/> (default: a free one).</summary>
    public static async Task<PostgresServer> StartAsync(int? port = null)
    {
        var bin = FindBinaries() ?? await InstallAsync();
        var root = Path.Combine(Path.GetTempPath(), $"orch-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        if (IsRoot)
            await ProcessRunner.RunAsync("chown", ["postgres:postgres", root], CommandTimeout);
        var data = Path.Combine(root, "data");
        await AsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        for (var attempt = 1; ; attempt++)
        {
            var chosen = port ?? FreePort.Next();
            try
            {
                var server = new PostgresServer(bin, root, chosen);
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && port is null)
            {
                // The port was taken between choosing it and binding it: choose another.
            }
        }
    }

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Pooling = true,
            MaxPoolSize = 100,
        }.ToString();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server at once, as a crash would (<c>-m immediate</c>), keeping its files.</summary>
    public Task StopAsync() =>
        AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts the (stopped) server on its port, with its data.</summary>
    public Task StartAgainAsync() =>
        AsPostgresAsync(Path.Combine(_bin, "pg_ctl"),
        [
            "-D", Path.Combine(_root, "data"), "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200", "start",
        ]);

    /// <summary>Stops the server at once and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task<string> AsPostgresAsync(string file, string[] args) =>
        IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", file, .. args], CommandTimeout, "/")
            : ProcessRunner.RunAsync(file, args, CommandTimeout, "/");

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => b, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

    private static async Task<string> InstallAsync()
    {
        if (!IsRoot)
            throw new InvalidOperationException("PostgreSQL is not installed and this process is not root: run 'sudo apt-get install postgresql'.");
        await ProcessRunner.RunAsync("apt-get", ["update", "-qq"], CommandTimeout);
        await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-qq", "postgresql"], CommandTimeout);
        return FindBinaries() ?? throw new InvalidOperationException("apt-get installed postgresql but no initdb is under /usr/lib/postgresql/*/bin.");
    }
}
