using Microsoft.Data.Sqlite;

namespace Orchestrator.Node.Persistence;

/// <summary>The node's claim on its SQLite file: the folder is created, the file put in WAL mode and checked to take a
/// write, and an exclusive lock taken on a sibling <c>.lock</c> file for the node's lifetime, so that a second node
/// on the same file fails at start naming the conflict. The operating system drops the lock when the process dies,
/// SIGKILL included. A file that is corrupt, not a database, or out of the node's reach stops the start with
/// <see cref="DatabaseUnusableException"/> naming it.</summary>
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

    /// <summary>Claims <paramref name="path"/> for this process, or throws <see cref="DatabaseInUseException"/> or
    /// <see cref="DatabaseUnusableException"/>; with <paramref name="checkPages"/>, every page of the file is read
    /// first (<see cref="CheckPages"/>).</summary>
    public static SqliteDatabaseFile Claim(string path, bool checkPages = true)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseUnusableException(
                $"SQLite database '{full}': its folder '{folder}' cannot be created ({e.Message}). Create it, writable by the " +
                $"node's user, or give the node another file with {PathSetting}.", e);
        }
        var lockPath = full + ".lock";
        FileStream lockStream;
        try
        {
            lockStream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatabaseUnusableException(
                $"SQLite database '{full}': its lock file '{lockPath}' cannot be created or written ({e.Message}). Make the folder " +
                $"'{folder}' and the files in it writable by the node's user, or give the node another file with {PathSetting}.", e);
        }
        catch (IOException e)
        {
            throw new DatabaseInUseException(
                $"SQLite database '{full}' is in use by another Orchestrator node (lock '{lockPath}' is held). " +
                $"Stop that node, or give this one another file with {PathSetting}.", e);
        }

        try
        {
            lockStream.SetLength(0);
            using (var writer = new StreamWriter(lockStream, leaveOpen: true))
                writer.Write($"{Environment.ProcessId}\n");
            lockStream.Flush(flushToDisk: true);
            Prepare(full, checkPages);
            return new SqliteDatabaseFile(full, lockStream);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    private const string PathSetting = "orchestrator.persistence.sqlite.path (ORCH_SQLITE_PATH)";

    /// <summary>Puts the file in WAL mode and commits the write of the readiness probe (<see cref="JournalWriteProbe"/>'s
    /// row <c>start</c>), so that a file the node can read but not write stops the start instead of failing every later
    /// write. A rolled-back <c>BEGIN IMMEDIATE</c> would not do: in WAL mode it succeeds on a read-only file.</summary>
    private static void Prepare(string path, bool checkPages)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new DatabaseUnusableException(
                    $"SQLite database '{path}' cannot be opened for reading and writing (it refused WAL mode: journal_mode is '{mode}'). " +
                    $"Check that the node's user can read and write the file and its folder '{System.IO.Path.GetDirectoryName(path)}'.", null);
            if (checkPages) CheckPages(connection, path);
            JournalWriteProbe.WriteRow(connection, "start");
        }
        catch (SqliteException e)
        {
            throw new DatabaseUnusableException(Unusable(path, e), e);
        }
    }

    /// <summary>Reads every page of the file (<c>PRAGMA quick_check</c>: the b-trees' structure, not the indexes'
    /// content) and stops the start naming the first damage found: a page damaged mid-file (a bad sector, a torn write,
    /// a copy taken while the node wrote) would otherwise fail only the sessions and singletons whose events sit on it,
    /// again and again, on a node that looks ready. Damage the check trips over itself surfaces as
    /// <see cref="SqliteException"/> and is described by <see cref="Unusable"/>.</summary>
    private static void CheckPages(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(3);";
        using var reader = command.ExecuteReader();
        var findings = new List<string>();
        while (reader.Read()) findings.Add(reader.GetString(0).ReplaceLineEndings(" "));
        if (findings is ["ok"]) return;
        throw new DatabaseUnusableException(
            $"SQLite database '{path}' is damaged: {string.Join("; ", findings)}. {DatabaseDamage.SqliteAdvice(path)}. To start on it " +
            "anyway, set orchestrator.persistence.sqlite.check-at-start = off: the sessions whose events sit on the damaged pages then fail to recover.", null);
    }

    /// <summary>What is wrong with the file at <paramref name="path"/> and what to do, from SQLite's error.</summary>
    internal static string Unusable(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT =>
            $"SQLite database '{path}' is corrupt or not a SQLite database ({e.Message.TrimEnd('.')}). Restore it from a backup, or move it " +
            $"aside (with its -wal and -shm files) to start with an empty journal, or give the node another file with {PathSetting}.",
        _ =>
            $"SQLite database '{path}' cannot be opened for reading and writing ({e.Message.TrimEnd('.')}). Check that the node's user can " +
            $"read and write the file and its folder '{System.IO.Path.GetDirectoryName(path)}', and that the disk has room.",
    };

    /// <summary>Releases the claim.</summary>
    public void Dispose() => _lock.Dispose();
}

/// <summary>Another node already uses this database file.</summary>
public sealed class DatabaseInUseException(string message, Exception inner) : Exception(message, inner);
