using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The README's main job (<c>./build.sh run</c> execs the node's <c>demo</c> command) runs to completion.</summary>
public sealed class DemoSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_reviews_the_sample_manuscript_and_prints_result_figures_and_how_to_inspect()
    {
        var env = new Dictionary<string, string>
        {
            ["ORCH_TEMPLATES_PATH"] = Path.Combine(RepositoryRoot.Path, "config", "workflows"),
            ["ORCH_LLM_NATIVE_PATH"] = Path.Combine(RepositoryRoot.Path, "native"),
            ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "demo.db"),
        };
        await using var demo = NodeProcess.Start(_dir, env, "demo", "--manuscript",
            Path.Combine(RepositoryRoot.Path, "config", "samples", "manuscript.txt"));

        Assert.True(await demo.WaitForExitAsync(TimeSpan.FromMinutes(5)) == 0, demo.Transcript);
        var output = string.Join('\n', demo.Output);
        Assert.Contains("making a tiny random-weight llama model", output);
        Assert.Contains("✓ quality-score", output);
        Assert.Contains("Session completed.", output);
        Assert.Matches(@"Figures: \d+ tasks succeeded, 0 failed", output);
        Assert.Contains("./orch sessions show demo-", output);
        Assert.True(File.Exists(Path.Combine(_dir, "models", "tiny.gguf")));
    }
}
