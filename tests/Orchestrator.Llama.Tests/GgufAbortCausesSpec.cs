using Orchestrator.Llama.Gguf;

namespace Orchestrator.Llama.Tests;

/// <summary>The GGUF causes that made llama.cpp abort the process when fuzzed: the managed validator refuses each,
/// with a reason, before any native call. One mutated tiny model per cause.</summary>
public sealed class GgufAbortCausesSpec
{
    private static readonly Lazy<GgufFile> Good = new(() => GgufReader.Read(Write(_ => { })));

    private static string Write(Action<GgufWriter> alter)
    {
        var writer = TinyModel.CreateWriter(TinyModelSpec.Tiny);
        alter(writer);
        var path = TestModels.TempFile("cause.gguf");
        writer.Write(path);
        return path;
    }

    private static string Rejects(string path) =>
        Assert.Throws<GgufFormatException>(() => GgufValidator.ReadAndValidate(path)).Reason;

    private static string[] Tokens() => ((string[])Good.Value.Metadata["tokenizer.ggml.tokens"].Value).ToArray();

    private static GgufWriter Tokens(GgufWriter w, string[] tokens) =>
        w.Set("tokenizer.ggml.tokens", GgufValueType.Array, tokens, GgufValueType.String);

    public static TheoryData<string, string> Causes => new()
    {
        { "duplicate-token", "twice" },
        { "missing-byte-token", "<0x0A>" },
        { "tokenizer-bert", "'bert' is not supported" },
        { "tokenizer-none", "'none' is not supported" },
        { "tokenizer-no_vocab", "'no_vocab' is not supported" },
        { "experts-without-used", "llama.expert_used_count is missing" },
        { "used-experts-alone", "llama.expert_count is missing" },
        { "more-used-than-experts", "between 1 and llama.expert_count 4" },
        { "expert-groups-not-dividing", "llama.expert_group_count 3" },
        { "more-used-groups-than-groups", "llama.expert_group_used_count 3" },
        { "nextn-past-block-count", "llama.nextn_predict_layers 3" },
        { "unknown-rope-scaling", "llama.rope.scaling.type 'bogus'" },
        { "too-many-blocks", "at most 512 layers" },
        { "negative-epsilon", "layer_norm_rms_epsilon is -1" },
        { "nan-epsilon", "layer_norm_rms_epsilon is NaN" },
        { "alignment-16", "general.alignment is 16" },
        { "integer-weights", "type I32" },
        { "tensors-out-of-table-order", "packed in the order of the tensor table" },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void Each_cause_is_refused_before_llama_cpp_with_a_reason(string cause, string reason)
    {
        var path = Mutated(cause);
        var message = Rejects(path);
        Assert.Contains(reason, message);
    }

    [Fact]
    public void The_unmutated_model_passes() => GgufValidator.ReadAndValidate(Write(_ => { }));

    [Fact]
    public void The_rules_use_the_architecture_s_own_key_prefix()
    {
        Action<GgufWriter> asQwen2 = w =>
        {
            w.Set("general.architecture", GgufValueType.String, "qwen2");
            foreach (var (key, value) in Good.Value.Metadata.Where(m => m.Key.StartsWith("llama.", StringComparison.Ordinal)))
                w.Remove(key).Add("qwen2." + key["llama.".Length..], value.Type, value.Value, value.ElementType);
        };
        GgufValidator.ReadAndValidate(Write(asQwen2));
        Assert.Contains("qwen2.expert_used_count is missing",
            Rejects(Write(w => { asQwen2(w); w.Set("qwen2.expert_count", GgufValueType.UInt32, 4u); })));
        Assert.Contains("qwen2.rope.scaling.type",
            Rejects(Write(w => { asQwen2(w); w.Set("qwen2.rope.scaling.type", GgufValueType.String, "bogus"); })));
    }

    private static string Mutated(string cause)
    {
        switch (cause)
        {
            case "duplicate-token":
                {
                    var t = Tokens();
                    t[400] = t[401];
                    return Write(w => Tokens(w, t));
                }
            case "missing-byte-token":
                {
                    var t = Tokens();
                    t[Array.IndexOf(t, "<0x0A>")] = "not-a-byte-token";
                    return Write(w => Tokens(w, t));
                }
            case "tokenizer-bert": return Write(w => w.Set("tokenizer.ggml.model", GgufValueType.String, "bert"));
            case "tokenizer-none": return Write(w => w.Set("tokenizer.ggml.model", GgufValueType.String, "none"));
            case "tokenizer-no_vocab": return Write(w => w.Set("tokenizer.ggml.model", GgufValueType.String, "no_vocab"));
            case "experts-without-used": return Write(w => w.Set("llama.expert_count", GgufValueType.UInt32, 4u));
            case "used-experts-alone": return Write(w => w.Set("llama.expert_used_count", GgufValueType.UInt32, 2u));
            case "more-used-than-experts":
                return Write(w => w.Set("llama.expert_count", GgufValueType.UInt32, 4u).Set("llama.expert_used_count", GgufValueType.UInt32, 5u));
            case "expert-groups-not-dividing":
                return Write(w => w.Set("llama.expert_count", GgufValueType.UInt32, 4u).Set("llama.expert_used_count", GgufValueType.UInt32, 2u)
                    .Set("llama.expert_group_count", GgufValueType.UInt32, 3u).Set("llama.expert_group_used_count", GgufValueType.UInt32, 1u));
            case "more-used-groups-than-groups":
                return Write(w => w.Set("llama.expert_count", GgufValueType.UInt32, 4u).Set("llama.expert_used_count", GgufValueType.UInt32, 2u)
                    .Set("llama.expert_group_count", GgufValueType.UInt32, 2u).Set("llama.expert_group_used_count", GgufValueType.UInt32, 3u));
            case "nextn-past-block-count": return Write(w => w.Set("llama.nextn_predict_layers", GgufValueType.UInt32, 3u));
            case "unknown-rope-scaling": return Write(w => w.Set("llama.rope.scaling.type", GgufValueType.String, "bogus"));
            case "too-many-blocks": return Write(w => w.Set("llama.block_count", GgufValueType.UInt32, 513u));
            case "negative-epsilon": return Write(w => w.Set("llama.attention.layer_norm_rms_epsilon", GgufValueType.Float32, -1f));
            case "nan-epsilon": return Write(w => w.Set("llama.attention.layer_norm_rms_epsilon", GgufValueType.Float32, float.NaN));
            case "alignment-16": return Write(w => w.Set("general.alignment", GgufValueType.UInt32, 16u));
            case "integer-weights":
                {
                    // F32 to I32: the same size, so only the type is wrong.
                    var path = Write(_ => { });
                    PatchTensor(path, "blk.0.attn_q.weight", dims: 2, fieldOffset: 0, BitConverter.GetBytes((uint)GgmlType.I32));
                    return path;
                }
            case "tensors-out-of-table-order":
                {
                    // Two norms of the same size trade places in the data section: no overlap, but out of table order.
                    var path = Write(_ => { });
                    var a = Good.Value.Tensors.Single(t => t.Name == "blk.0.attn_norm.weight").Offset;
                    var b = Good.Value.Tensors.Single(t => t.Name == "blk.0.ffn_norm.weight").Offset;
                    PatchTensor(path, "blk.0.attn_norm.weight", dims: 1, fieldOffset: 4, BitConverter.GetBytes((ulong)b));
                    PatchTensor(path, "blk.0.ffn_norm.weight", dims: 1, fieldOffset: 4, BitConverter.GetBytes((ulong)a));
                    return path;
                }
            default: throw new ArgumentOutOfRangeException(nameof(cause), cause, null);
        }
    }

    /// <summary>Overwrites a field of a tensor's table entry: <paramref name="fieldOffset"/> 0 is its type, 4 its offset.</summary>
    private static void PatchTensor(string path, string name, int dims, int fieldOffset, byte[] bytes)
    {
        var file = File.ReadAllBytes(path);
        var key = System.Text.Encoding.UTF8.GetBytes(name);
        var at = file.AsSpan().IndexOf(key) + key.Length + 4 + 8 * dims + fieldOffset;
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Position = at;
        f.Write(bytes);
    }
}
