using Microsoft.Data.Sqlite;

namespace Orchestrator.Node.Persistence;

/// <summary>The node's claim on its SQLite file: the folder is created, the file put in WAL mode, and an exclusive
/// lock taken on a sibling <c>.lock</c> file for the node's lifetime, so that a second node on the same file fails at
/// start naming the conflict. The operating system drops the lock when the process dies, SIGKILL included.</summary>
public sealed class SqliteDatabaseFile : IDisposable
{
    private readonly FileStream _lock;

    private SqliteDatabaseFile(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <summary>Claims <paramref name="path"/> for this process, or throws <see cref="DatabaseInUseException"/>.</summary>
    public static SqliteDatabaseFile Claim(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var lockPath = full + ".lock";
        FileStream lockStream;
        try
        {
            lockStream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DatabaseInUseException(
                $"SQLite database '{full}' is in use by another Orchestrator node (lock '{lockPath}' is held). " +
                "Stop that node, or give this one another file with orchestrator.persistence.sqlite.path (ORCH_SQLITE_PATH).", e);
        }

        try
        {
            lockStream.SetLength(0);
            using (var writer = new StreamWriter(lockStream, leaveOpen: true))
                writer.Write($"{Environment.ProcessId}\n");
            lockStream.Flush(flushToDisk: true);
            EnableWal(full);
            return new SqliteDatabaseFile(full, lockStream);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    private static void EnableWal(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"SQLite database '{path}' refused WAL mode (journal_mode is '{mode}').");
    }

    /// <summary>Releases the claim.</summary>
    public void Dispose() => _lock.Dispose();
}

/// <summary>Another node already uses this database file.</summary>
public sealed class DatabaseInUseException(string message, Exception inner) : Exception(message, inner);
