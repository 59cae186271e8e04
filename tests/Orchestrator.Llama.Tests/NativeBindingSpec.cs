using System.Runtime.CompilerServices;
using Orchestrator.Llama.Native;

namespace Orchestrator.Llama.Tests;

public sealed class NativeBindingSpec
{
    [Fact]
    public unsafe void Struct_sizes_match_llama_h_of_the_release()
    {
        Assert.Equal(80, sizeof(LlamaModelParams));
        Assert.Equal(160, sizeof(LlamaContextParams));
        Assert.Equal(56, sizeof(LlamaBatchNative));
        Assert.Equal(16, sizeof(LlamaChatMessageNative));
    }

    [Fact]
    public unsafe void Field_offsets_match_llama_h_of_the_release()
    {
        var m = default(LlamaModelParams);
        var b = (byte*)&m;
        Assert.Equal(16, (byte*)&m.NGpuLayers - b);
        Assert.Equal(24, (byte*)&m.LoadMode - b);
        Assert.Equal(40, (byte*)&m.TensorSplit - b);
        Assert.Equal(48, (byte*)&m.ProgressCallback - b);
        Assert.Equal(64, (byte*)&m.KvOverrides - b);
        Assert.Equal(72, (byte*)&m.VocabOnly - b);
        Assert.Equal(77, (byte*)&m.LoadMtp - b);

        var c = default(LlamaContextParams);
        var cb = (byte*)&c;
        Assert.Equal(12, (byte*)&c.NSeqMax - cb);
        Assert.Equal(28, (byte*)&c.NThreads - cb);
        Assert.Equal(52, (byte*)&c.FlashAttnType - cb);
        Assert.Equal(84, (byte*)&c.DefragThold - cb);
        Assert.Equal(88, (byte*)&c.CbEval - cb);
        Assert.Equal(104, (byte*)&c.TypeK - cb);
        Assert.Equal(112, (byte*)&c.AbortCallback - cb);
        Assert.Equal(128, (byte*)&c.Embeddings - cb);
        Assert.Equal(133, (byte*)&c.KvUnified - cb);
        Assert.Equal(136, (byte*)&c.Samplers - cb);
        Assert.Equal(152, (byte*)&c.CtxOther - cb);
    }

    [Fact]
    public void Model_defaults_from_the_library_land_in_the_right_fields()
    {
        TestModels.EnsureNative();
        var m = LlamaNative.ModelDefaultParams();
        Assert.Equal(-1, m.NGpuLayers);
        Assert.Equal(1, m.SplitMode);   // LLAMA_SPLIT_MODE_LAYER
        Assert.Equal(-1, m.LoadMode);   // LLAMA_LOAD_MODE_AUTO
        Assert.Equal(1, m.LazyMode);    // LLAMA_LAZY_MODE_AUTO
        Assert.Equal(0, m.MainGpu);
        Assert.Equal(nint.Zero, m.ProgressCallback);
        Assert.Equal(0, m.VocabOnly);
        Assert.Equal(0, m.CheckTensors);
        Assert.Equal(1, m.UseExtraBufts);
        Assert.Equal(0, m.NoHost);
        Assert.Equal(0, m.LoadMtp);
    }

    [Fact]
    public void Context_defaults_from_the_library_land_in_the_right_fields()
    {
        TestModels.EnsureNative();
        var c = LlamaNative.ContextDefaultParams();
        Assert.Equal(512u, c.NCtx);
        Assert.Equal(2048u, c.NBatch);
        Assert.Equal(512u, c.NUbatch);
        Assert.Equal(1u, c.NSeqMax);
        Assert.Equal(1u, c.NOutputsMaxPerSeq);
        Assert.Equal(-1, c.RopeScalingType);
        Assert.Equal(-1, c.FlashAttnType);
        Assert.Equal(-1f, c.YarnExtFactor);
        Assert.Equal(-1f, c.DefragThold);
        Assert.Equal(1, c.TypeK);       // GGML_TYPE_F16
        Assert.Equal(1, c.TypeV);
        Assert.Equal(0, c.Embeddings);
        Assert.Equal(1, c.OffloadKqv);
        Assert.Equal(1, c.NoPerf);
        Assert.Equal(1, c.OpOffload);
        Assert.Equal(1, c.SwaFull);
        Assert.Equal(0, c.KvUnified);
        Assert.Equal(nint.Zero, c.Samplers);
        Assert.Equal(0u, (uint)c.NSamplers);
        Assert.Equal(nint.Zero, c.CtxOther);
    }

    [Fact]
    public void A_generated_model_loads_and_round_trips_text_through_the_tokenizer()
    {
        var progress = new List<float>();
        using var weights = LlamaWeights.Load(TestModels.Tiny, 0, progress.Add);
        Assert.Equal(512, weights.VocabularySize);
        Assert.NotEmpty(progress);
        var tokens = weights.Tokenize("hello, wörld {\"a\": 1}", addSpecial: true, parseSpecial: false);
        Assert.Equal(1, tokens[0]); // BOS
        Assert.Equal(" hello, wörld {\"a\": 1}".TrimStart(), weights.Detokenize(tokens.AsSpan(1)).TrimStart());
        var chat = weights.ApplyChatTemplate([("user", "hi")]);
        Assert.Contains("<|im_start|>user\nhi<|im_end|>", chat);
        Assert.EndsWith("<|im_start|>assistant\n", chat);
    }

    [Fact]
    public void Missing_libraries_name_the_install_command()
    {
        var e = Assert.Throws<NativeLibrariesMissingException>(
            () => NativeLibraryLocator.FindLibraryFolder(Path.Combine(Path.GetTempPath(), "no-such-native-folder")));
        Assert.Contains("scripts/install-native.sh", e.Message);
    }
}
