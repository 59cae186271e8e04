using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A SQLite database the node cannot use stops the start with exit code 2 and one clear line naming the file
/// and what to do: no stack trace.</summary>
public sealed class DatabaseStartFailureSpec : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-dbstart-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Starts a node on <paramref name="file"/> and checks that it stops at once, naming the file, without a
    /// stack trace; a node that does not stop is killed before the failure is reported.</summary>
    private async Task<NodeProcess> StartOnAsync(string file)
    {
        var node = NodeProcess.Start(_dir, new Dictionary<string, string> { ["ORCH_SQLITE_PATH"] = file });
        try
        {
            Assert.Equal(2, await node.WaitForExitAsync(Startup));
            Assert.Contains(file, node.Transcript);
            Assert.DoesNotContain("   at ", node.Transcript);
            Assert.DoesNotContain("Unhandled exception", node.Transcript);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task File_with_a_garbage_header_stops_the_start_naming_the_file()
    {
        var file = Path.Combine(_dir, "orchestrator.db");
        await File.WriteAllBytesAsync(file, Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 + 7)).ToArray());

        await using var node = await StartOnAsync(file);

        Assert.Contains("is corrupt or not a SQLite database", node.Transcript);
        Assert.Contains("file is not a database", node.Transcript);
        Assert.Contains("Restore it from a backup", node.Transcript);
    }

    [Fact]
    public async Task Folder_that_cannot_be_created_stops_the_start_naming_it()
    {
        var notAFolder = Path.Combine(_dir, "data");
        await File.WriteAllTextAsync(notAFolder, "a file where the database's folder should be");

        await using var node = await StartOnAsync(Path.Combine(notAFolder, "orchestrator.db"));

        Assert.Contains($"its folder '{notAFolder}' cannot be created", node.Transcript);
    }

    [Fact]
    public async Task File_that_cannot_be_written_stops_the_start_naming_it()
    {
        var file = Path.Combine(_dir, "orchestrator.db");
        await using (var first = NodeProcess.Start(_dir, new Dictionary<string, string> { ["ORCH_SQLITE_PATH"] = file }))
        {
            await first.WaitUntilReadyAsync(Startup);
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(Startup));
        }

        await using var fault = await UnwritableFile.MakeAsync(file);
        await using var node = await StartOnAsync(file);

        Assert.Contains("cannot be opened for reading and writing", node.Transcript);
    }
}
