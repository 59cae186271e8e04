namespace Orchestrator.Llama.Files;

/// <summary>Resolves configured relative paths (model files) the way the node documents it: against the repository
/// root (the nearest folder above the application's base holding <c>Orchestrator.sln</c>), then the current folder,
/// then the application's base.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root, or null when the application does not run from a checkout.</summary>
    public static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln")))
                return dir.FullName;
        return null;
    }

    /// <summary>An existing file for <paramref name="path"/>, or <paramref name="path"/> itself when none exists (so the
    /// error names what was configured).</summary>
    public static string ResolveFile(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path)) return path;
        if (FindRepositoryRoot() is { } root && File.Exists(Path.Combine(root, path)))
            return Path.Combine(root, path);
        var beside = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(beside) ? beside : path;
    }
}
