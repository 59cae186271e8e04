using LinqToDB.Data;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>A failed statement on the journal's connections (opened with the node's own linq2db options, as the plugin
/// opens them) is signalled to the readiness monitor; a statement that succeeds is not.</summary>
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
}
