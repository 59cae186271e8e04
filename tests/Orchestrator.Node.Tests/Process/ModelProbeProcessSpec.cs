using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Probe;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The node's own <c>probe-model PATH</c> as the child of <see cref="ModelProbe"/>: a real process that loads
/// a generated model through llama.cpp, decodes, samples and renders every byte token.</summary>
public sealed class ModelProbeProcessSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-probe-").FullName;

    [Fact]
    public void The_node_s_probe_model_command_passes_a_generated_model_and_the_verdict_is_cached()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var cache = Path.Combine(_dir, "probes");
        var probe = ModelProbe.ForNode(typeof(NodeCommandLine).Assembly.Location, cache, TimeSpan.FromMinutes(2));

        var verdict = probe.Check(model);
        Assert.True(verdict.Safe, verdict.Reason);
        Assert.Contains("probe ok", verdict.Reason);
        Assert.Single(Directory.GetFiles(cache));
        Assert.Equal(verdict, probe.Check(model));
    }

    [Fact]
    public void The_command_line_takes_probe_model_with_its_path() =>
        Assert.Equal("/m/x.gguf", NodeCommandLine.Parse(["probe-model", "/m/x.gguf"]).ProbeModel);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
