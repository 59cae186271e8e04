using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A small tmpfs mounted on a folder, which a test can fill to the last byte with a filler file and free
/// again; unmounted on dispose. Mounting needs root (or a container allowed to mount): where it is refused, the test
/// fails at once saying so, rather than running on a disk that never fills.</summary>
internal sealed class SmallDisk : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    /// <summary>The folder the tmpfs is mounted on.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on <paramref name="path"/> (created when missing).</summary>
    public static async Task<SmallDisk> MountAsync(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        try
        {
            await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path], CommandTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"This test mounts a {megabytes} MiB tmpfs on {path} to fill it, and the mount failed (it needs root, or a container " +
                $"allowed to mount; running as '{Environment.UserName}'): {e.Message}", e);
        }
        return new SmallDisk(path);
    }

    /// <summary>Writes the filler file until the disk has no byte left; returns how many bytes it took.</summary>
    public long Fill()
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                file.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: then the last few bytes a smaller write still finds.
            foreach (var size in new[] { 4096, 512, 1 })
            {
                try
                {
                    while (true)
                    {
                        file.Write(chunk, 0, size);
                        written += size;
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        return written;
    }

    /// <summary>Deletes the filler file: the disk has room again.</summary>
    public void Free() => File.Delete(_filler);

    /// <summary>Frees and unmounts the disk.</summary>
    public async ValueTask DisposeAsync()
    {
        Free();
        try
        {
            await ProcessRunner.RunAsync("umount", [Path], CommandTimeout);
        }
        catch (InvalidOperationException)
        {
            // Still busy (a process that outlived its test): detach it now, it goes once the last user closes it.
            await ProcessRunner.RunAsync("umount", ["-l", Path], CommandTimeout);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"tmpfs on {Path}";
}
