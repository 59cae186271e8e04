using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>Makes a file impossible for the node to write, by the strongest real means the test's user has, and undoes
/// it on dispose: <c>chmod 444</c> for an ordinary user; as root (whom permissions do not stop), the immutable
/// attribute (<c>chattr +i</c>), or where the file system or the container refuses it, the file moved aside and a
/// directory put in its place (it cannot be opened at all).</summary>
internal sealed class UnwritableFile : IAsyncDisposable
{
    private readonly string _path;
    private readonly Func<Task> _undo;

    private UnwritableFile(string path, string how, Func<Task> undo)
    {
        _path = path;
        How = how;
        _undo = undo;
    }

    /// <summary>What was done, for failure messages.</summary>
    public string How { get; }

    /// <summary>Makes <paramref name="path"/> unwritable.</summary>
    public static async Task<UnwritableFile> MakeAsync(string path)
    {
        if (Environment.UserName != "root")
        {
            var mode = (await ProcessRunner.RunAsync("stat", ["-c", "%a", path], TimeSpan.FromSeconds(30))).Trim();
            await ProcessRunner.RunAsync("chmod", ["444", path], TimeSpan.FromSeconds(30));
            return new UnwritableFile(path, "chmod 444", () => ProcessRunner.RunAsync("chmod", [mode, path], TimeSpan.FromSeconds(30)));
        }
        try
        {
            await ProcessRunner.RunAsync("chattr", ["+i", path], TimeSpan.FromSeconds(30));
            return new UnwritableFile(path, "chattr +i", () => ProcessRunner.RunAsync("chattr", ["-i", path], TimeSpan.FromSeconds(30)));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            var aside = path + ".aside";
            File.Move(path, aside);
            Directory.CreateDirectory(path);
            return new UnwritableFile(path, "replaced by a directory", () =>
            {
                Directory.Delete(path);
                File.Move(aside, path);
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>Makes the file writable again, as it was.</summary>
    public async ValueTask DisposeAsync() => await _undo();

    /// <inheritdoc />
    public override string ToString() => $"{_path} ({How})";
}
