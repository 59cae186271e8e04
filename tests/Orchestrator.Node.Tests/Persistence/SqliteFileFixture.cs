using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>A SQLite database file in a temporary folder for one spec class, claimed as a node claims it (WAL mode and
/// the lock file), deleted at the end.</summary>
public sealed class SqliteFileFixture : IDisposable
{
    private readonly string _folder;
    private readonly SqliteDatabaseFile _claim;

    /// <summary>Creates the folder and claims the file.</summary>
    public SqliteFileFixture()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"orch-sqlite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        _claim = SqliteDatabaseFile.Claim(Path.Combine(_folder, "journal.db"));
        Database = SpecDatabase.Sqlite(_claim.Path);
    }

    /// <summary>The spec class's database.</summary>
    public SpecDatabase Database { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        _claim.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
