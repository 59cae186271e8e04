using LinqToDB.Data;
using Microsoft.Data.Sqlite;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>A failed statement on the journal's connections (opened with the node's own linq2db options, as the plugin
/// opens them) is signalled to the readiness monitor, with the damage it found in the database if any; a statement that
/// succeeds is not.</summary>
public sealed class JournalFaultsSpec : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orch-faults-{Guid.NewGuid():N}");
    private readonly SqliteDatabaseFile _file;
    private readonly SpecDatabase _database;

    public JournalFaultsSpec()
    {
        _file = SqliteDatabaseFile.Claim(Path.Combine(_folder, "journal.db"));
        _database = SpecDatabase.Sqlite(_file.Path);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _file.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_failed_statement_is_signalled_with_its_error()
    {
        var faults = new JournalFaults();
        await using var db = new DataConnection(JournalConnectionSetup.DataOptionsFor(_database.Settings, faults));

        await Assert.ThrowsAnyAsync<Exception>(() => db.ExecuteAsync("INSERT INTO no_such_table (x) VALUES (1)"));

        var error = await faults.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("no_such_table", error);
        Assert.Null(faults.Damage);
    }

    [Fact]
    public async Task A_statement_that_succeeds_signals_nothing()
    {
        var faults = new JournalFaults();
        await using var db = new DataConnection(JournalConnectionSetup.DataOptionsFor(_database.Settings, faults));

        Assert.Equal(1L, await db.ExecuteAsync<long>("SELECT 1"));

        var wait = faults.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
    }

    [Fact]
    public async Task Damage_found_by_a_statement_is_kept_whatever_fails_after_it()
    {
        var faults = new JournalFaults();
        faults.ProcessException(default, new InvalidOperationException("database is locked"));
        faults.ProcessException(default, new InvalidOperationException("journal write failed",
            new SqliteException("SQLite Error 11: 'database disk image is malformed'.", SQLitePCL.raw.SQLITE_CORRUPT)));

        faults.ProcessException(default, new InvalidOperationException("database is locked"));

        Assert.Equal("database is locked", await faults.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("SQLite Error 11: 'database disk image is malformed'", faults.Damage);
        Assert.Null(DatabaseDamage.Of(new SqliteException("SQLite Error 5: 'database is locked'.", SQLitePCL.raw.SQLITE_BUSY)));
    }
}
