namespace Orchestrator.Testing;

/// <summary>The folder that holds Orchestrator.sln, found by walking up from the test's binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Orchestrator.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No Orchestrator.sln above {AppContext.BaseDirectory}.");
    }
}
