using System.Runtime.InteropServices;

namespace Orchestrator.Node.Persistence;

/// <summary>Asks the operating system (<c>access(2)</c>) whether this process may write a SQLite database, its
/// <c>-wal</c> and <c>-shm</c> files and its folder, as a new open would be judged, without opening anything.</summary>
/// <remarks>A write through a new SQLite connection is not enough to see a file made read-only: SQLite's unix VFS
/// hands a new connection a descriptor that an earlier connection of the same process opened read-write (it keeps
/// closed connections' descriptors while other connections hold locks on the file, since closing one would drop the
/// process's locks), and that descriptor still writes. Nor may the check open a descriptor of its own: closing it would
/// drop every POSIX lock the journal's connections hold on the file. <c>access</c> opens nothing, and it judges as the
/// kernel would at the next open: root passes permission bits, an immutable file (<c>chattr +i</c>) fails even root.</remarks>
internal static class SqliteFileAccess
{
    private const int WriteOk = 2;
    private const int ExecuteOk = 1;

    /// <summary>Null when the file, its companions and its folder are writable; otherwise which is not, and why.</summary>
    public static string? Problem(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var folder = Path.GetDirectoryName(path)!;
        if (Denied(folder, WriteOk | ExecuteOk) is { } folderError)
            return $"its folder '{folder}' is not writable ({folderError})";
        if (Denied(path, WriteOk) is { } fileError)
            return $"the file is not writable ({fileError})";
        foreach (var companion in new[] { path + "-wal", path + "-shm" })
        {
            if (File.Exists(companion) && Denied(companion, WriteOk) is { } companionError)
                return $"'{companion}' is not writable ({companionError})";
        }
        return null;
    }

    private static string? Denied(string path, int mode) =>
        Access(path, mode) == 0 ? null : Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
}
