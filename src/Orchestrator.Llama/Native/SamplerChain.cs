using Orchestrator.Core.Models;

namespace Orchestrator.Llama.Native;

/// <summary>Builds a request's sampling pipeline (LLamaSharp's <c>DefaultSamplingPipeline</c>): grammar, penalties,
/// then greedy, or top-k, top-p, min-p, temperature and a seeded distribution.</summary>
internal static unsafe class SamplerChain
{
    /// <summary>The chain, or null with <paramref name="error"/> when the grammar does not compile.</summary>
    public static SafeLlamaSamplerHandle? Create(LlamaWeights weights, ModelMessages.SamplingOptions options, string? grammar,
        out string? error)
    {
        error = null;
        var p = LlamaNative.SamplerChainDefaultParams();
        p.NoPerf = 1;
        var chain = SafeLlamaSamplerHandle.FromRaw(LlamaNative.SamplerChainInit(p));
        try
        {
            if (options.IgnoreEos)
            {
                var bias = new LlamaLogitBias { Token = weights.Eos, Bias = float.NegativeInfinity };
                LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitLogitBias(weights.VocabularySize, 1, &bias));
            }
            if (!string.IsNullOrWhiteSpace(grammar))
            {
                var g = LlamaNative.SamplerInitGrammar(weights.Vocab, grammar, "root");
                if (g == nint.Zero)
                {
                    error = "the grammar does not parse (llama.cpp's log has the position), or it has no 'root' rule.";
                    chain.Dispose();
                    return null;
                }
                LlamaNative.SamplerChainAdd(chain, g);
            }
            if (options.RepeatPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f)
                LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitPenalties(weights.VocabularySize,
                    options.RepeatLastN, options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty));
            if (options.Temperature <= 0f)
            {
                LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitGreedy());
                return chain;
            }
            if (options.TopK > 0) LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitTopK(options.TopK));
            if (options.TopP is > 0f and < 1f) LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitTopP(options.TopP, 1));
            if (options.MinP is > 0f and < 1f) LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitMinP(options.MinP, 1));
            LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitTemp(options.Temperature));
            LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitDist(options.Seed ?? (uint)Random.Shared.Next()));
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
