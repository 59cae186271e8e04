using System.Buffers.Binary;
using Orchestrator.Llama.Gguf;

namespace Orchestrator.Llama.Tests;

public sealed class GgufSpec
{
    private static string Write(Action<GgufWriter>? alter = null, TinyModelSpec? spec = null)
    {
        var writer = TinyModel.CreateWriter(spec ?? TinyModelSpec.Tiny);
        alter?.Invoke(writer);
        var path = TestModels.TempFile("model.gguf");
        writer.Write(path);
        return path;
    }

    private static GgufFormatException Rejects(string path) =>
        Assert.Throws<GgufFormatException>(() => GgufValidator.ReadAndValidate(path));

    [Theory]
    [InlineData(GgmlType.F32)]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.Q8_0)]
    public void A_written_model_reads_back_with_its_metadata_and_tensors(GgmlType type)
    {
        var spec = TinyModelSpec.Tiny with { TensorType = type };
        var file = GgufValidator.ReadAndValidate(Write(spec: spec));
        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(2, file.GetInt("llama.block_count"));
        Assert.Equal(3 + 2 * 9, file.Tensors.Count);
        Assert.Equal(type, file.Tensors.Single(t => t.Name == "blk.0.attn_q.weight").Type);
        Assert.Equal(spec.Parameters, file.Tensors.Sum(t => t.ElementCount));
        Assert.All(file.Tensors, t => Assert.Equal(0, t.Offset % file.Alignment));
    }

    [Fact]
    public void The_bench_model_has_about_134_million_parameters() =>
        Assert.InRange(TinyModelSpec.Bench134M.Parameters, 130_000_000, 138_000_000);

    [Fact]
    public void Q8_0_encoding_round_trips_within_its_precision()
    {
        var values = Enumerable.Range(0, 64).Select(i => MathF.Sin(i) * 3f).ToArray();
        var bytes = GgufWriter.Encode(values, GgmlType.Q8_0);
        Assert.Equal(2 * 34, bytes.Length);
        for (var b = 0; b < 2; b++)
        {
            var d = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(b * 34));
            for (var j = 0; j < 32; j++)
                Assert.InRange((sbyte)bytes[b * 34 + 2 + j] * d - values[b * 32 + j], -d, d);
        }
    }

    [Fact]
    public void A_missing_file_is_rejected() =>
        Assert.Contains("does not exist", Rejects(Path.Combine(Path.GetTempPath(), "nope-" + Guid.NewGuid() + ".gguf")).Reason);

    [Fact]
    public void Wrong_magic_is_rejected()
    {
        var path = TestModels.TempFile("magic.gguf");
        File.WriteAllBytes(path, "GGML and then some bytes that are not a model"u8.ToArray());
        Assert.Contains("magic", Rejects(path).Reason);
    }

    [Fact]
    public void An_unsupported_version_is_rejected()
    {
        var path = Write();
        Patch(path, 4, BitConverter.GetBytes(99u));
        Assert.Contains("version 99", Rejects(path).Reason);
    }

    [Fact]
    public void A_file_truncated_in_its_header_is_rejected()
    {
        var path = Write();
        Truncate(path, 4000);
        Assert.Contains("truncated", Rejects(path).Reason);
    }

    [Fact]
    public void Tensor_data_past_the_end_is_rejected()
    {
        var path = Write();
        Truncate(path, new FileInfo(path).Length - 100);
        var e = Rejects(path);
        Assert.Contains("past the end", e.Reason);
    }

    [Fact]
    public void Absurd_counts_are_rejected()
    {
        var path = Write();
        Patch(path, 8, BitConverter.GetBytes(ulong.MaxValue / 2));
        Assert.Contains("absurd tensor count", Rejects(path).Reason);
        path = Write();
        Patch(path, 16, BitConverter.GetBytes(1UL << 40));
        Assert.Contains("absurd metadata count", Rejects(path).Reason);
    }

    [Fact]
    public void An_array_claiming_more_elements_than_the_file_holds_is_rejected()
    {
        var path = Write(w => w.Add("zz.big", GgufValueType.Array, new int[] { 1, 2, 3 }, GgufValueType.Int32));
        var bytes = File.ReadAllBytes(path);
        var key = "zz.big"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(key) + key.Length + 4 + 4; // key, value type, element type
        Patch(path, at, BitConverter.GetBytes(1UL << 50));
        Assert.Contains("claims", Rejects(path).Reason);
    }

    [Theory]
    [InlineData("llama.block_count", 0u, "block_count is 0")]
    [InlineData("llama.embedding_length", 0u, "embedding_length is 0")]
    [InlineData("llama.attention.head_count", 3u, "does not divide")]
    [InlineData("llama.attention.head_count_kv", 3u, "does not divide")]
    [InlineData("llama.context_length", 0u, "context_length is 0")]
    public void Impossible_hyperparameters_are_rejected(string key, uint value, string reason)
    {
        var path = Write(w => w.Set(key, GgufValueType.UInt32, value));
        Assert.Contains(reason, Rejects(path).Reason);
    }

    [Fact]
    public void Missing_hyperparameters_are_rejected()
    {
        Assert.Contains("block_count is missing", Rejects(Write(w => w.Remove("llama.block_count"))).Reason);
        Assert.Contains("layer_norm_rms_epsilon", Rejects(Write(w => w.Remove("llama.attention.layer_norm_rms_epsilon"))).Reason);
    }

    [Fact]
    public void An_unsupported_architecture_is_rejected() =>
        Assert.Contains("unsupported architecture 'mamba9'",
            Rejects(Write(w => w.Set("general.architecture", GgufValueType.String, "mamba9"))).Reason);

    [Fact]
    public void An_inconsistent_vocabulary_is_rejected()
    {
        Assert.Contains("tokenizer.ggml.scores",
            Rejects(Write(w => w.Set("tokenizer.ggml.scores", GgufValueType.Array, new float[10], GgufValueType.Float32))).Reason);
        Assert.Contains("eos_token_id 99999", Rejects(Write(w => w.Set("tokenizer.ggml.eos_token_id", GgufValueType.UInt32, 99999u))).Reason);
        Assert.Contains("token_embd.weight has shape",
            Rejects(Write(w => w.Set("llama.vocab_size", GgufValueType.UInt32, 600u)
                .Set("tokenizer.ggml.model", GgufValueType.String, "gpt2") // a BPE vocabulary needs no byte tokens
                .Set("tokenizer.ggml.tokens", GgufValueType.Array, Enumerable.Range(0, 600).Select(i => $"t{i}").ToArray(), GgufValueType.String)
                .Remove("tokenizer.ggml.scores").Remove("tokenizer.ggml.token_type"))).Reason);
    }

    [Fact]
    public void An_unknown_tensor_type_is_rejected()
    {
        var path = Write();
        var bytes = File.ReadAllBytes(path);
        var name = "output_norm.weight"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(name) + name.Length + 4 + 8; // name, n_dims, one dim
        Patch(path, at, BitConverter.GetBytes(31u));
        Assert.Contains("unsupported or unknown ggml type 31", Rejects(path).Reason);
    }

    [Fact]
    public void An_absurd_dimension_is_rejected()
    {
        var path = Write();
        var bytes = File.ReadAllBytes(path);
        var name = "output_norm.weight"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(name) + name.Length + 4;
        Patch(path, at, BitConverter.GetBytes(0UL));
        Assert.Contains("absurd dimension", Rejects(path).Reason);
    }

    private static void Patch(string path, long offset, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Position = offset;
        f.Write(bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.SetLength(length);
    }
}
