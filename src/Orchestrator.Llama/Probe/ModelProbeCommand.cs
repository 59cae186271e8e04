using LLama.Native;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Native;

namespace Orchestrator.Llama.Probe;

/// <summary>The child side of <see cref="ModelProbe"/> (the node's <c>probe-model PATH</c>): loads the file through the
/// validator and llama.cpp, decodes once, samples once, and renders and tokenizes every byte token, writing every
/// llama.cpp log line to standard error. Exit code 0: the model is safe to load in the node; an abort kills only
/// this process, and its last log line says why.</summary>
public static class ModelProbeCommand
{
    /// <summary>Runs the probe on <paramref name="path"/>; returns the process exit code.</summary>
    public static int Run(string path, TextWriter output, TextWriter error)
    {
        using var log = LlamaLog.Subscribe((_, line) => error.WriteLine(line));
        try
        {
            using var weights = ModelWeights.Load(path, 0);
            using var context = weights.CreateContext("probe", contextSize: 256, batchSize: 64, sequences: 1, threads: 1, kvUnified: false);
            var prompt = weights.Tokenize("Hello, probe: {\"a\": 1}", true, false);
            var batch = new LLamaBatch();
            for (var i = 0; i < Math.Min(prompt.Length, 32); i++)
                batch.Add(prompt[i], i, LLamaSeqId.Zero, i == Math.Min(prompt.Length, 32) - 1);
            var rc = context.Decode(batch);
            if (rc != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode returned {rc}.");
            using var sampler = SamplerChain.Create(weights, ModelMessages.SamplingOptions.Greedy, null, out _)!;
            var token = (int)sampler.Sample(context, batch.TokenCount - 1);
            Span<byte> piece = stackalloc byte[256];
            for (var t = 0; t < weights.VocabularySize; t++) weights.TokenToPiece(t, piece);
            var everyByte = string.Concat(Enumerable.Range(1, 0x7E).Select(c => (char)c)) + "é€😀\u0080\u00FF";
            weights.Tokenize(everyByte, false, false);
            output.WriteLine($"probe ok: {path}: {weights.ParameterCount} parameters, {weights.VocabularySize} tokens, sampled {token}, llama.cpp {LlamaRuntime.Variant}");
            return 0;
        }
        catch (Exception e)
        {
            error.WriteLine($"probe refused {path}: {e.Message}");
            return 1;
        }
    }
}
