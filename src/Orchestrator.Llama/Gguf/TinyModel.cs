namespace Orchestrator.Llama.Gguf;

/// <summary>The shape of a generated model.</summary>
/// <param name="Embedding">n_embd</param>
/// <param name="Layers">block_count</param>
/// <param name="Heads">attention heads (must divide <paramref name="Embedding"/>)</param>
/// <param name="HeadsKv">key/value heads (must divide <paramref name="Heads"/>)</param>
/// <param name="FeedForward">feed-forward width</param>
/// <param name="VocabularySize">tokens, at least 3 special + 256 bytes + 95 printable characters</param>
/// <param name="ContextLength">trained context length written to the file</param>
/// <param name="TensorType">type of the matrices (norms stay F32)</param>
/// <param name="Seed">seed of the random weights</param>
public sealed record TinyModelSpec(
    int Embedding = 64,
    int Layers = 2,
    int Heads = 4,
    int HeadsKv = 2,
    int FeedForward = 128,
    int VocabularySize = 512,
    int ContextLength = 4096,
    GgmlType TensorType = GgmlType.F32,
    int Seed = 42)
{
    /// <summary>A model of a few hundred KB for tests and the demo.</summary>
    public static TinyModelSpec Tiny { get; } = new();

    /// <summary>~134M parameters (n_embd 768, 12 layers, ff 2048, vocab 32,000, F16) for benchmarks.</summary>
    public static TinyModelSpec Bench134M { get; } = new(768, 12, 12, 12, 2048, 32_000, 4096, GgmlType.F16);

    /// <summary>Number of weights.</summary>
    public long Parameters =>
        2L * VocabularySize * Embedding + Embedding +
        Layers * (2L * Embedding + 2L * Embedding * Embedding + 2L * Embedding * (Embedding / Heads * HeadsKv) +
                  3L * Embedding * FeedForward);
}

/// <summary>Generates llama-architecture GGUF models with random weights and a byte-fallback SentencePiece vocabulary
/// (<c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, the 256 byte tokens <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>,
/// printable characters, then merges), so every path of the pool runs real inference without downloading weights.
/// Files are written at test or bench time, never committed.</summary>
public static class TinyModel
{
    /// <summary>A ChatML template; llama.cpp recognises it by its markers.</summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>Writes a model of <paramref name="spec"/> to <paramref name="path"/> unless an identical one (same spec,
    /// recorded beside it) is already there; returns the path.</summary>
    public static string Ensure(string path, TinyModelSpec spec)
    {
        var stamp = path + ".spec";
        var text = spec.ToString();
        if (File.Exists(path) && File.Exists(stamp) && File.ReadAllText(stamp) == text) return path;
        Write(path, spec);
        File.WriteAllText(stamp, text);
        return path;
    }

    /// <summary>Writes a model of <paramref name="spec"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, TinyModelSpec spec) => CreateWriter(spec).Write(path);

    /// <summary>The writer for <paramref name="spec"/>, for callers that want to alter metadata or tensors first.</summary>
    public static GgufWriter CreateWriter(TinyModelSpec spec)
    {
        if (spec.Embedding % spec.Heads != 0 || spec.Heads % spec.HeadsKv != 0)
            throw new ArgumentException($"Heads {spec.Heads} must divide embedding {spec.Embedding}, and key/value heads {spec.HeadsKv} must divide heads.");
        var (tokens, scores, types) = Vocabulary(spec.VocabularySize);
        var headDim = spec.Embedding / spec.Heads;
        var w = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", $"orchestrator-tiny-{spec.Embedding}x{spec.Layers}")
            .Add("general.file_type", spec.TensorType switch { GgmlType.F16 => 1u, GgmlType.Q8_0 => 7u, _ => 0u })
            .Add("llama.context_length", (uint)spec.ContextLength)
            .Add("llama.embedding_length", (uint)spec.Embedding)
            .Add("llama.block_count", (uint)spec.Layers)
            .Add("llama.feed_forward_length", (uint)spec.FeedForward)
            .Add("llama.attention.head_count", (uint)spec.Heads)
            .Add("llama.attention.head_count_kv", (uint)spec.HeadsKv)
            .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("llama.rope.dimension_count", (uint)headDim)
            .Add("llama.rope.freq_base", 10000f)
            .Add("llama.vocab_size", (uint)spec.VocabularySize)
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", GgufValueType.Array, tokens, GgufValueType.String)
            .Add("tokenizer.ggml.scores", GgufValueType.Array, scores, GgufValueType.Float32)
            .Add("tokenizer.ggml.token_type", GgufValueType.Array, types, GgufValueType.Int32)
            .Add("tokenizer.ggml.unknown_token_id", 0u)
            .Add("tokenizer.ggml.bos_token_id", 1u)
            .Add("tokenizer.ggml.eos_token_id", 2u)
            .Add("tokenizer.ggml.add_bos_token", GgufValueType.Bool, true)
            .Add("tokenizer.ggml.add_eos_token", GgufValueType.Bool, false)
            .Add("tokenizer.chat_template", ChatTemplate);

        var seed = spec.Seed;
        long e = spec.Embedding, v = spec.VocabularySize, ff = spec.FeedForward, kv = headDim * spec.HeadsKv;
        var t = spec.TensorType;
        w.AddTensor("token_embd.weight", [e, v], t, Random(seed++, e * v, 1f));
        w.AddTensor("output_norm.weight", [e], GgmlType.F32, Ones(e));
        w.AddTensor("output.weight", [e, v], t, Random(seed++, e * v, 2f / MathF.Sqrt(e)));
        for (var i = 0; i < spec.Layers; i++)
        {
            var s = 1f / MathF.Sqrt(e);
            w.AddTensor($"blk.{i}.attn_norm.weight", [e], GgmlType.F32, Ones(e));
            w.AddTensor($"blk.{i}.attn_q.weight", [e, e], t, Random(seed++, e * e, s));
            w.AddTensor($"blk.{i}.attn_k.weight", [e, kv], t, Random(seed++, e * kv, s));
            w.AddTensor($"blk.{i}.attn_v.weight", [e, kv], t, Random(seed++, e * kv, s));
            w.AddTensor($"blk.{i}.attn_output.weight", [e, e], t, Random(seed++, e * e, s));
            w.AddTensor($"blk.{i}.ffn_norm.weight", [e], GgmlType.F32, Ones(e));
            w.AddTensor($"blk.{i}.ffn_gate.weight", [e, ff], t, Random(seed++, e * ff, s));
            w.AddTensor($"blk.{i}.ffn_up.weight", [e, ff], t, Random(seed++, e * ff, s));
            w.AddTensor($"blk.{i}.ffn_down.weight", [ff, e], t, Random(seed++, ff * e, 1f / MathF.Sqrt(ff)));
        }
        return w;
    }

    /// <summary>The vocabulary: specials, byte tokens, printable characters, then merges whose every prefix is a
    /// token too (so SentencePiece's bigram merging can reach them), scored so longer pieces win.</summary>
    internal static (string[] Tokens, float[] Scores, int[] Types) Vocabulary(int size)
    {
        const int normal = 1, unknown = 2, control = 3, byteType = 6;
        var minimum = 3 + 256 + 95;
        if (size < minimum) throw new ArgumentException($"A vocabulary needs at least {minimum} tokens, not {size}.");
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { unknown, control, control };
        var scores = new List<float> { 0, 0, 0 };
        for (var b = 0; b < 256; b++) { tokens.Add($"<0x{b:X2}>"); types.Add(byteType); scores.Add(0); }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void AddPiece(string piece)
        {
            if (tokens.Count >= size || !seen.Add(piece)) return;
            tokens.Add(piece);
            types.Add(normal);
            scores.Add(-10_000f + piece.Length * 100f - tokens.Count * 0.001f);
        }
        for (var c = 0x20; c < 0x7F; c++) AddPiece(c == ' ' ? "\u2581" : ((char)c).ToString());
        foreach (var word in Words())
        {
            if (tokens.Count >= size) break;
            for (var len = 2; len <= word.Length; len++) AddPiece(word[..len]);
        }
        return (tokens.ToArray(), scores.ToArray(), types.ToArray());
    }

    private static readonly string[] Common =
    [
        "the", "and", "of", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not", "he",
        "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were", "their",
        "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would", "who", "so",
        "no", "task", "agent", "plan", "result", "answer", "json", "true", "false", "null", "name", "value", "type",
    ];

    private static IEnumerable<string> Words()
    {
        foreach (var w in Common) { yield return "\u2581" + w; yield return w; }
        const string letters = "etaoinshrdlcumwfgypbvkjxqz";
        foreach (var a in letters) foreach (var b in letters) yield return $"{a}{b}";
        foreach (var a in letters) foreach (var b in letters) yield return $"\u2581{a}{b}";
        foreach (var a in letters) foreach (var b in letters) foreach (var c in letters) yield return $"{a}{b}{c}";
        foreach (var a in letters) foreach (var b in letters) foreach (var c in letters) yield return $"\u2581{a}{b}{c}";
        foreach (var a in letters) foreach (var b in letters) foreach (var c in letters) foreach (var d in letters)
            yield return $"{a}{b}{c}{d}";
    }

    private static Func<float[]> Ones(long n) => () => Enumerable.Repeat(1f, (int)n).ToArray();

    private static Func<float[]> Random(int seed, long n, float scale) => () =>
    {
        var rng = new Random(seed);
        var values = new float[n];
        for (var i = 0; i < values.Length; i++) values[i] = (rng.NextSingle() * 2f - 1f) * scale * 1.7f;
        return values;
    };
}
