namespace Orchestrator.Testing;

/// <summary>The folder that holds Orchestrator.sln, found by walking up from the test's binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    public static string Path { get; } = Find();

    /// <summary>The built <c><paramref name="assembly"/>.dll</c> of the project in <paramref name="projectFolder"/> (relative
    /// to the root), of the configuration the running tests were built in.</summary>
    public static string BuiltDll(string projectFolder, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}")
            ? "Release"
            : "Debug";
        var dll = System.IO.Path.Combine(Path, projectFolder, "bin", configuration, "net10.0", $"{assembly}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {projectFolder} first: {dll} is missing.");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Orchestrator.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No Orchestrator.sln above {AppContext.BaseDirectory}.");
    }
}
