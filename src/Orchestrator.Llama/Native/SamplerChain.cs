using LLama.Native;
using Orchestrator.Core.Models;

namespace Orchestrator.Llama.Native;

/// <summary>Builds a request's sampling pipeline on LLamaSharp's <see cref="SafeLLamaSamplerChainHandle"/> (as its
/// <c>DefaultSamplingPipeline</c> does): grammar, penalties, then greedy, or top-k, top-p, min-p, temperature and a
/// seeded distribution.</summary>
internal static class SamplerChain
{
    /// <summary>The chain, or null with <paramref name="error"/> when the grammar does not compile. Runs on the
    /// pool's thread: a grammar llama.cpp cannot parse is seen by the error it logs on this thread.</summary>
    public static SafeLLamaSamplerChainHandle? Create(ModelWeights weights, ModelMessages.SamplingOptions options, string? grammar,
        out string? error)
    {
        error = null;
        var p = LLamaSamplerChainParams.Default();
        p.NoPerf = true;
        var chain = SafeLLamaSamplerChainHandle.Create(p);
        try
        {
            if (options.IgnoreEos && weights.Eos >= 0)
                chain.AddLogitBias(weights.VocabularySize, [new LLamaLogitBias { Token = weights.Eos, Bias = float.NegativeInfinity }]);
            if (!string.IsNullOrWhiteSpace(grammar))
            {
                var errorsBefore = LlamaLog.ErrorsOnThisThread;
                var lastBefore = LlamaLog.LastLine;
                // llama_sampler_init_grammar returns NULL on a bad grammar, and LLamaSharp adds it to the chain as it is;
                // freeing a chain skips a NULL member, but sampling would crash, so such a chain is never used.
                chain.AddGrammar(weights.Vocab, grammar, "root");
                if (LlamaLog.ErrorsOnThisThread != errorsBefore)
                {
                    var reason = LlamaLog.LastLine is { } line && !ReferenceEquals(line, lastBefore) ? $" ({line.Trim()})" : "";
                    error = $"the grammar does not parse{reason}, or it has no 'root' rule.";
                    chain.Dispose();
                    return null;
                }
            }
            if (options.RepeatPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f)
                chain.AddPenalties(options.RepeatLastN, options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty);
            if (options.Temperature <= 0f)
            {
                chain.AddGreedySampler();
                return chain;
            }
            if (options.TopK > 0) chain.AddTopK(options.TopK);
            if (options.TopP is > 0f and < 1f) chain.AddTopP(options.TopP, 1);
            if (options.MinP is > 0f and < 1f) chain.AddMinP(options.MinP, 1);
            chain.AddTemperature(options.Temperature);
            chain.AddDistributionSampler(options.Seed ?? (uint)Random.Shared.Next());
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
