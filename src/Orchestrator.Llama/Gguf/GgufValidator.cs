namespace Orchestrator.Llama.Gguf;

/// <summary>Checks a model's hyperparameters, vocabulary, tensor layout and shapes before llama.cpp sees the file:
/// llama.cpp aborts the whole process on many bad values (a <c>block_count</c> of 0, a duplicate token, an unknown rope
/// scaling type, ...) instead of returning an error; see <see cref="HyperparameterRules"/>, <see cref="VocabularyRules"/>
/// and <see cref="TensorLayoutRules"/>.</summary>
public static class GgufValidator
{
    /// <summary>Architectures this project accepts. <c>llama</c> gets full tensor checks; the others get the
    /// hyperparameter and vocabulary checks their common keys allow.</summary>
    public static readonly IReadOnlySet<string> SupportedArchitectures = new HashSet<string>(StringComparer.Ordinal)
    {
        "llama", "mistral", "mistral3", "qwen2", "qwen3", "qwen2moe", "qwen3moe", "phi3", "gemma", "gemma2", "gemma3",
        "granite", "olmo", "olmo2", "stablelm", "starcoder2", "smollm3", "deepseek2", "command-r", "cohere2", "exaone",
    };

    /// <summary>Reads <paramref name="path"/> with <see cref="GgufReader"/> and validates it; returns the header.</summary>
    public static GgufFile ReadAndValidate(string path)
    {
        var file = GgufReader.Read(path);
        Validate(file);
        return file;
    }

    /// <summary>Throws <see cref="GgufFormatException"/> when the model cannot be loaded safely.</summary>
    public static void Validate(GgufFile file)
    {
        var arch = file.Architecture
                   ?? throw Fail(file, "general.architecture is missing.");
        if (!SupportedArchitectures.Contains(arch))
            throw Fail(file, $"unsupported architecture '{arch}' (supported: {string.Join(", ", SupportedArchitectures.Order())}).");

        var layers = Positive(file, $"{arch}.block_count", max: 1 << 20);
        HyperparameterRules.Validate(file, arch, layers);
        TensorLayoutRules.Validate(file);
        var embd = Positive(file, $"{arch}.embedding_length", max: 1 << 20);
        Positive(file, $"{arch}.context_length", max: 1L << 31);
        var heads = PositivePerLayer(file, $"{arch}.attention.head_count", layers, required: true);
        var headsKv = PositivePerLayer(file, $"{arch}.attention.head_count_kv", layers, required: false) ?? heads;
        PositivePerLayer(file, $"{arch}.feed_forward_length", layers, required: arch == "llama");
        var keyLength = file.GetInt($"{arch}.attention.key_length");
        for (var i = 0; i < layers; i++)
        {
            var h = heads![i];
            if (keyLength is null && embd % h != 0)
                throw Fail(file, $"{arch}.attention.head_count {h} does not divide {arch}.embedding_length {embd}.");
            if (headsKv![i] > h || h % headsKv[i] != 0)
                throw Fail(file, $"{arch}.attention.head_count_kv {headsKv[i]} does not divide head_count {h}.");
        }
        if (keyLength is <= 0) throw Fail(file, $"{arch}.attention.key_length is {keyLength}; it must be positive.");
        if (arch == "llama" && !file.Metadata.ContainsKey("llama.attention.layer_norm_rms_epsilon"))
            throw Fail(file, "llama.attention.layer_norm_rms_epsilon is missing.");
        if (file.Metadata.TryGetValue($"{arch}.rope.dimension_count", out var rope) &&
            (rope.AsInt64() is not { } r || r <= 0 || r > embd))
            throw Fail(file, $"{arch}.rope.dimension_count {rope.Value} is not between 1 and {embd}.");

        var vocab = VocabularyRules.Validate(file);
        if (file.Tensors.FirstOrDefault(t => t.Name == "token_embd.weight") is { } emb)
        {
            if (emb.Dimensions.Length != 2 || emb.Dimensions[0] != embd || emb.Dimensions[1] != vocab)
                throw Fail(file, $"token_embd.weight has shape [{string.Join(", ", emb.Dimensions)}]; expected [{embd}, {vocab}] (embedding_length, vocabulary size).");
        }
        else throw Fail(file, "tensor token_embd.weight is missing.");
        if (arch == "llama") ValidateLlamaTensors(file, layers, embd, heads!, headsKv!, vocab);
    }

    private static void ValidateLlamaTensors(GgufFile file, long layers, long embd, long[] heads, long[] headsKv, long vocab)
    {
        var byName = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ff = PositivePerLayer(file, "llama.feed_forward_length", layers, required: true)!;
        Expect(file, byName, "output_norm.weight", embd);
        if (byName.ContainsKey("output.weight")) Expect(file, byName, "output.weight", embd, vocab);
        for (var i = 0; i < layers; i++)
        {
            var headDim = embd / heads[i];
            Expect(file, byName, $"blk.{i}.attn_norm.weight", embd);
            Expect(file, byName, $"blk.{i}.ffn_norm.weight", embd);
            if (byName.ContainsKey($"blk.{i}.attn_qkv.weight"))
                Expect(file, byName, $"blk.{i}.attn_qkv.weight", embd, embd + 2 * headDim * headsKv[i]);
            else
            {
                Expect(file, byName, $"blk.{i}.attn_q.weight", embd, embd);
                Expect(file, byName, $"blk.{i}.attn_k.weight", embd, headDim * headsKv[i]);
                Expect(file, byName, $"blk.{i}.attn_v.weight", embd, headDim * headsKv[i]);
            }
            Expect(file, byName, $"blk.{i}.attn_output.weight", embd, embd);
            if (byName.ContainsKey($"blk.{i}.ffn_gate_inp.weight")) continue; // mixture of experts: shapes differ
            Expect(file, byName, $"blk.{i}.ffn_gate.weight", embd, ff[i]);
            Expect(file, byName, $"blk.{i}.ffn_up.weight", embd, ff[i]);
            Expect(file, byName, $"blk.{i}.ffn_down.weight", ff[i], embd);
        }
    }

    private static void Expect(GgufFile file, Dictionary<string, GgufTensorInfo> byName, string name, params long[] shape)
    {
        if (!byName.TryGetValue(name, out var t)) throw Fail(file, $"tensor {name} is missing.");
        if (!t.Dimensions.SequenceEqual(shape))
            throw Fail(file, $"tensor {name} has shape [{string.Join(", ", t.Dimensions)}]; expected [{string.Join(", ", shape)}].");
    }

    private static long Positive(GgufFile file, string key, long max)
    {
        if (!file.Metadata.TryGetValue(key, out var v)) throw Fail(file, $"{key} is missing.");
        var n = v.AsInt64() ?? throw Fail(file, $"{key} has type {v.Type}; expected an integer.");
        if (n <= 0 || n > max) throw Fail(file, $"{key} is {n}; it must be between 1 and {max}.");
        return n;
    }

    /// <summary>A per-layer value stored as one integer or as an array of one integer per layer.</summary>
    private static long[]? PositivePerLayer(GgufFile file, string key, long layers, bool required)
    {
        if (!file.Metadata.TryGetValue(key, out var v))
            return required ? throw Fail(file, $"{key} is missing.") : null;
        long[] values;
        if (v.Type == GgufValueType.Array)
        {
            var a = (Array)v.Value;
            if (a.Length != layers) throw Fail(file, $"{key} has {a.Length} entries for {layers} layers.");
            values = new long[a.Length];
            for (var i = 0; i < a.Length; i++) values[i] = Convert.ToInt64(a.GetValue(i));
        }
        else
        {
            var n = v.AsInt64() ?? throw Fail(file, $"{key} has type {v.Type}; expected an integer.");
            values = Enumerable.Repeat(n, (int)layers).ToArray();
        }
        foreach (var n in values)
            if (n <= 0 || n > 1 << 20) throw Fail(file, $"{key} is {n}; it must be between 1 and {1 << 20}.");
        return values;
    }

    internal static GgufFormatException Fail(GgufFile file, string reason) => new(file.Path, reason);
}
