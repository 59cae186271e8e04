using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The operating system's verdict on writing a SQLite database, asked without opening it: a writable file
/// passes, and a missing one or one in a missing folder is named with the system's reason.</summary>
public sealed class SqliteFileAccessSpec : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orch-access-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_writable_file_in_a_writable_folder_passes()
    {
        var file = Path.Combine(_folder, "journal.db");
        File.WriteAllBytes(file, []);

        Assert.Null(SqliteFileAccess.Problem(file));
    }

    [Fact]
    public void A_missing_file_is_named_with_the_reason()
    {
        var problem = SqliteFileAccess.Problem(Path.Combine(_folder, "gone.db"));

        Assert.Equal("the file is not writable (No such file or directory)", problem);
    }

    [Fact]
    public void A_missing_folder_is_named_first()
    {
        var folder = Path.Combine(_folder, "missing");

        var problem = SqliteFileAccess.Problem(Path.Combine(folder, "journal.db"));

        Assert.Equal($"its folder '{folder}' is not writable (No such file or directory)", problem);
    }
}
