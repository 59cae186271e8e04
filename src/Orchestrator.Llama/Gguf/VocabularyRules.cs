namespace Orchestrator.Llama.Gguf;

/// <summary>The vocabulary checks of <see cref="GgufValidator"/>: consistent arrays and special token ids, and what
/// llama.cpp aborts on while loading a vocabulary: a token text listed twice, a SentencePiece vocabulary without one
/// of its 256 byte tokens (<c>&lt;0x0A&gt;</c>, ...), a tokenizer model other than those this project runs.</summary>
internal static class VocabularyRules
{
    /// <summary>Tokenizer models (<c>tokenizer.ggml.model</c>) accepted: SentencePiece (<c>llama</c>) and BPE (<c>gpt2</c>).</summary>
    public static readonly IReadOnlySet<string> SupportedTokenizers = new HashSet<string>(StringComparer.Ordinal) { "llama", "gpt2" };

    /// <summary>The vocabulary size, or a <see cref="GgufFormatException"/> naming the problem.</summary>
    public static long Validate(GgufFile file)
    {
        if (!file.Metadata.TryGetValue("tokenizer.ggml.tokens", out var tokens) || tokens.Value is not string[] list)
            throw GgufValidator.Fail(file, "tokenizer.ggml.tokens is missing or not an array of strings.");
        if (list.Length == 0) throw GgufValidator.Fail(file, "tokenizer.ggml.tokens is empty.");
        var model = file.GetString("tokenizer.ggml.model");
        if (model is null) throw GgufValidator.Fail(file, "tokenizer.ggml.model is missing.");
        if (!SupportedTokenizers.Contains(model))
            throw GgufValidator.Fail(file, $"tokenizer.ggml.model '{model}' is not supported (supported: {string.Join(", ", SupportedTokenizers.Order())}).");
        foreach (var key in new[] { "tokenizer.ggml.scores", "tokenizer.ggml.token_type" })
            if (file.Metadata.TryGetValue(key, out var v) && v.ArrayLength != list.Length)
                throw GgufValidator.Fail(file, $"{key} has {v.ArrayLength?.ToString() ?? "no array of"} entries but tokenizer.ggml.tokens has {list.Length}.");
        foreach (var key in new[] { "bos", "eos", "unknown", "padding", "eot" })
            if (file.GetInt($"tokenizer.ggml.{key}_token_id") is { } id && (id < 0 || id >= list.Length))
                throw GgufValidator.Fail(file, $"tokenizer.ggml.{key}_token_id {id} is outside the vocabulary of {list.Length} tokens.");

        var ids = new Dictionary<string, int>(list.Length, StringComparer.Ordinal);
        for (var i = 0; i < list.Length; i++)
            if (!ids.TryAdd(list[i], i))
                throw GgufValidator.Fail(file, $"tokenizer.ggml.tokens lists the token text '{Printable(list[i])}' twice (ids {ids[list[i]]} and {i}); llama.cpp aborts on it.");
        if (model == "llama")
            for (var b = 0; b < 256; b++)
                if (!ids.ContainsKey($"<0x{b:X2}>"))
                    throw GgufValidator.Fail(file, $"the SentencePiece vocabulary has no byte token <0x{b:X2}>; llama.cpp aborts on the first text that needs it.");
        return list.Length;
    }

    private static string Printable(string token) =>
        new(token.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
