namespace Orchestrator.Testing;

/// <summary>Where a project of the repository left its built dll, in the configuration the tests run under.</summary>
public static class BuiltOutput
{
    /// <summary>The dll <paramref name="name"/> of the project in <paramref name="projectFolder"/> (relative to the
    /// repository root); a missing one says to build it.</summary>
    public static string Dll(string projectFolder, string name)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot.Path, projectFolder, "bin", configuration, "net10.0", $"{name}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {projectFolder} first: {dll} is missing.");
    }
}
