namespace Orchestrator.Cli.Tests;

/// <summary><c>orch models list</c> shows whether each model serves and, for one that does not, the reason.</summary>
public sealed class ModelListSpec
{
    [Fact]
    public async Task A_model_that_failed_to_load_is_listed_failed_with_its_reason()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, """
            {"models":[
              {"name":"good","path":"/m/good.gguf","contextSize":512,"sequences":1,"threads":1,"loaded":true,"nativeVariant":"avx2","state":"serving"},
              {"name":"bad","path":"/m/bad.gguf","contextSize":512,"sequences":1,"threads":1,"loaded":false,"state":"failed","reason":"truncated"}
            ]}
            """));

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "models", "list");

        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        var rows = stdout.Split('\n');
        var bad = Assert.Single(rows, r => r.Contains("bad.gguf"));
        Assert.Contains("failed", bad);
        Assert.Contains("truncated", bad);
        Assert.Contains("serving", Assert.Single(rows, r => r.Contains("good.gguf")));
    }
}
