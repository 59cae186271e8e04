namespace Orchestrator.Llama.Native;

/// <summary>Finds the folder holding llama.cpp's shared libraries. A relative configured path is resolved against the
/// repository root (the folder holding <c>Orchestrator.sln</c>, walking up from the application's base) and then
/// against the application's base. Inside it, a local build (<c>local/</c>, from <c>scripts/build-native.sh</c>) is
/// preferred over the prebuilt package (<c>linux-x64/bins/linux-x64/</c>).</summary>
internal static class NativeLibraryLocator
{
    /// <summary>Sub-folders tried in order inside the configured folder.</summary>
    internal static readonly string[] Layouts = ["local/lib", "local", "linux-x64/bins/linux-x64", "."];

    public static string FindLibraryFolder(string configuredPath)
    {
        var roots = CandidateRoots(configuredPath).ToList();
        foreach (var root in roots)
        foreach (var layout in Layouts)
        {
            var dir = Path.GetFullPath(Path.Combine(root, layout));
            if (FindLibrary(dir, "llama") is not null && FindLibrary(dir, "ggml") is not null &&
                FindLibrary(dir, "ggml-base") is not null)
                return dir;
        }
        throw new NativeLibrariesMissingException(
            $"llama.cpp's shared libraries (libllama, libggml, libggml-base) were not found under " +
            $"{string.Join(" or ", roots.Select(r => $"'{Path.GetFullPath(r)}'"))} " +
            $"(orchestrator.llm.native-path = '{configuredPath}'). Install them with " +
            $"'{NativeLibrariesMissingException.InstallCommand}' from the repository root, or point native-path at a folder holding them.");
    }

    /// <summary>The file of library <paramref name="name"/> (<c>llama</c>, <c>ggml</c>, <c>ggml-base</c>) in
    /// <paramref name="dir"/>: <c>lib{name}.so</c> or a versioned <c>lib{name}.v*.so</c>.</summary>
    public static string? FindLibrary(string dir, string name)
    {
        if (!Directory.Exists(dir)) return null;
        var exact = Path.Combine(dir, $"lib{name}.so");
        if (File.Exists(exact)) return exact;
        return Directory.EnumerateFiles(dir, $"lib{name}.v*.so").OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault()
               ?? Directory.EnumerateFiles(dir, $"lib{name}.so.*").OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>The repository root: the nearest folder above the application's base that holds <c>Orchestrator.sln</c>.</summary>
    public static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln")))
                return dir.FullName;
        return null;
    }

    private static IEnumerable<string> CandidateRoots(string configuredPath)
    {
        if (Path.IsPathRooted(configuredPath))
        {
            yield return configuredPath;
            yield break;
        }
        if (FindRepositoryRoot() is { } repo) yield return Path.Combine(repo, configuredPath);
        yield return Path.Combine(AppContext.BaseDirectory, configuredPath);
        yield return Path.Combine(Environment.CurrentDirectory, configuredPath);
    }
}
