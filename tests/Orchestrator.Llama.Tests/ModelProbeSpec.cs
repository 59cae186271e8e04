using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Pool;
using Orchestrator.Llama.Probe;
using Orchestrator.Llama.Processes;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Tests;

/// <summary>The first load of a model file in a child process: its verdict cached by file identity, an abort there
/// refusing the model with the child's last log line while the node keeps serving its other models. The child here
/// is a shell standing in for the node's <c>probe-model</c> (NodeModelProbeSpec runs the real one).</summary>
public sealed class ModelProbeSpec : TestKit
{
    public ModelProbeSpec() : base("akka.loglevel = WARNING\nakka.actor.serialize-messages = on") { }

    private static (ModelProbe Probe, string Runs) Shell(string script)
    {
        var runs = TestModels.TempFile("runs.txt");
        var cache = TestModels.TempFile("probes");
        return (new ModelProbe(new NodeChildCommand("/bin/sh", ["-c", $"echo run >> '{runs}'; {script}", "probe"]), cache, TimeSpan.FromSeconds(30)), runs);
    }

    private static int Runs(string file) => File.Exists(file) ? File.ReadAllLines(file).Length : 0;

    [Fact]
    public void An_abort_in_the_child_refuses_the_file_with_its_last_log_line_and_the_verdict_is_kept()
    {
        var model = TestModels.Generate("probe-abort.gguf", TinyModelSpec.Tiny);
        var (probe, runs) = Shell("echo 'llama_model_load: loading' >&2; echo 'GGML_ASSERT(n_experts <= 512) failed' >&2; kill -ABRT $$");

        var verdict = probe.Check(model);
        Assert.False(verdict.Safe);
        Assert.Contains("killed by signal 6", verdict.Reason);
        Assert.Contains("GGML_ASSERT(n_experts <= 512) failed", verdict.Reason);
        Assert.Equal(verdict, probe.Check(model));
        Assert.Equal(1, Runs(runs));

        File.SetLastWriteTimeUtc(model, DateTime.UtcNow.AddMinutes(1)); // another identity: probed again
        probe.Check(model);
        Assert.Equal(2, Runs(runs));
    }

    [Fact]
    public void A_clean_exit_is_a_safe_verdict()
    {
        var model = TestModels.Generate("probe-ok.gguf", TinyModelSpec.Tiny);
        var (probe, _) = Shell("echo 'probe ok'");
        Assert.Equal(new ProbeVerdict(true, "probe ok"), probe.Check(model));
    }

    [Fact]
    public void A_refused_model_answers_with_the_reason_while_the_other_models_are_served()
    {
        TestModels.EnsureNative();
        var bad = TestModels.Generate("probe-bad.gguf", TinyModelSpec.Tiny);
        var good = TestModels.Tiny;
        // The stand-in aborts for the bad file only (its path is the last argument).
        var (probe, _) = Shell($"case \"$1\" in *probe-bad*) echo 'GGML_ASSERT(hparams.n_layer <= 512) failed' >&2; kill -ABRT $$;; *) echo ok;; esac");
        var models = Sys.ActorOf(ModelManager.Props([
            ModelPoolSpec.Settings("good") with { Path = good },
            ModelPoolSpec.Settings("bad") with { Path = bad },
        ], TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), probe));

        // Whether it reaches the pool before or after the pool reported its failure, the answer says why.
        models.Tell(new Generate("b1", "bad", Prompt: "hi", MaxTokens: 2, Stream: false));
        Assert.Contains("GGML_ASSERT(hparams.n_layer <= 512) failed", ExpectMsg<GenerateFailed>(TimeSpan.FromSeconds(30)).Reason);
        AwaitAssert(() =>
        {
            models.Tell(new Generate("b2", "bad", Prompt: "hi", MaxTokens: 2, Stream: false));
            var failed = ExpectMsg<GenerateFailed>(TimeSpan.FromSeconds(30));
            Assert.Contains("restarting", failed.Reason);
            Assert.Contains("GGML_ASSERT(hparams.n_layer <= 512) failed", failed.Reason);
            Assert.Contains("probe-bad", failed.Reason);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        models.Tell(new Generate("g", "good", Prompt: "hi", Sampling: SamplingOptions.Greedy, MaxTokens: 4, Stream: false));
        Assert.True(ExpectMsg<GenerateResult>(TimeSpan.FromSeconds(60)).CompletionTokens > 0);
    }
}
