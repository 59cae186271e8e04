using LLama.Native;
using Orchestrator.Llama.Native;

namespace Orchestrator.Llama.Tests;

/// <summary>What replaced the hand-written binding: llama.cpp loaded through LLamaSharp from the
/// LLamaSharp.Backend.Cpu package (the variant for this CPU), its log routed to <see cref="LlamaLog"/>, and the
/// model wrapper over LLamaSharp's handles (tokenizer, pieces, chat template, samplers).</summary>
public sealed class LlamaRuntimeSpec
{
    [Fact]
    public void The_package_variant_for_this_cpu_is_loaded()
    {
        TestModels.EnsureNative();
        Assert.True(NativeLibraryConfig.LLama.LibraryHasLoaded);
        Assert.Contains(LlamaRuntime.Variant, new[] { "avx512", "avx2", "avx", "noavx" });
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.NotEqual("noavx", LlamaRuntime.Variant);
        Assert.Contains("CPU", LlamaRuntime.SystemInfo());
    }

    [Fact]
    public void Native_log_lines_reach_the_log_as_whole_lines()
    {
        TestModels.EnsureNative();
        var lines = new List<(LlamaLogLevel Level, string Text)>();
        using (LlamaLog.Subscribe((level, text) =>
               {
                   lock (lines) lines.Add((level, text));
               }))
        {
            using var weights = ModelWeights.Load(TestModels.Tiny, 0);
        }
        lock (lines)
        {
            Assert.Contains(lines, l => l.Text.Contains("llama_model_loader", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Text.EndsWith('\n'));
        }
    }

    [Fact]
    public void A_generated_model_loads_and_round_trips_text_through_the_tokenizer()
    {
        using var weights = ModelWeights.Load(TestModels.Tiny, 0);
        Assert.Equal(512, weights.VocabularySize);
        var tokens = weights.Tokenize("hello, wörld {\"a\": 1}", addSpecial: true, parseSpecial: false);
        Assert.Equal(1, tokens[0]); // BOS
        Assert.Equal(" hello, wörld {\"a\": 1}".TrimStart(), weights.Detokenize(tokens.AsSpan(1)).TrimStart());
        var chat = weights.ApplyChatTemplate([("user", "hi")]);
        Assert.Contains("<|im_start|>user\nhi<|im_end|>", chat);
        Assert.EndsWith("<|im_start|>assistant\n", chat);
    }

    [Fact]
    public void A_grammar_llama_cpp_cannot_parse_gives_no_sampler_and_a_reason()
    {
        using var weights = ModelWeights.Load(TestModels.Tiny, 0);
        var chain = SamplerChain.Create(weights, new Core.Models.ModelMessages.SamplingOptions(), "root ::= (", out var error);
        Assert.Null(chain);
        Assert.Contains("does not parse", error);
        using var good = SamplerChain.Create(weights, new Core.Models.ModelMessages.SamplingOptions(), "root ::= \"a\"", out error);
        Assert.NotNull(good);
        Assert.Null(error);
    }
}
