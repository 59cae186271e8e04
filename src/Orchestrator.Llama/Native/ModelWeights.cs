using System.Text;
using LLama;
using LLama.Exceptions;
using LLama.Native;
using Orchestrator.Llama.Gguf;

namespace Orchestrator.Llama.Native;

/// <summary>A loaded model (LLamaSharp's <see cref="SafeLlamaModelHandle"/>): weights, vocabulary, tokenizer and chat
/// template. One copy of the weights serves every context and sequence made from it. Validated by
/// <see cref="GgufValidator"/> before llama.cpp opens the file.</summary>
internal sealed class ModelWeights : IDisposable
{
    private ModelWeights(SafeLlamaModelHandle handle, GgufFile header)
    {
        Handle = handle;
        Header = header;
        Vocab = handle.Vocab;
        VocabularySize = Vocab.Count;
        Eos = Vocab.EOS is { } eos ? (int)eos : -1;
        ChatTemplate = handle.GetTemplate(null, strict: false);
    }

    public SafeLlamaModelHandle Handle { get; }
    public GgufFile Header { get; }
    public SafeLlamaModelHandle.Vocabulary Vocab { get; }
    public int VocabularySize { get; }
    public int Eos { get; }
    public string? ChatTemplate { get; }
    public int TrainedContext => Handle.ContextSize;
    public ulong ParameterCount => Handle.ParameterCount;
    public ulong SizeBytes => Handle.SizeInBytes;

    /// <summary>Validates <paramref name="path"/> with the managed validator, then has llama.cpp load it.</summary>
    public static ModelWeights Load(string path, int gpuLayers, string? nativePath = null)
    {
        var header = GgufValidator.ReadAndValidate(path);
        LlamaRuntime.EnsureLoaded(nativePath);
        var p = LLamaModelParams.Default();
        p.n_gpu_layers = gpuLayers;
        try
        {
            return new ModelWeights(SafeLlamaModelHandle.LoadFromFile(path, p), header);
        }
        catch (LoadWeightsFailedException)
        {
            throw new GgufFormatException(path, $"llama.cpp refused to load it: {LlamaLog.LastLine ?? "no reason logged"}.");
        }
    }

    /// <summary>A context of <paramref name="contextSize"/> tokens for <paramref name="sequences"/> sequences (one
    /// KV cache each unless <paramref name="kvUnified"/>), decoding up to <paramref name="batchSize"/> tokens at once.</summary>
    public SafeLLamaContextHandle CreateContext(string model, int contextSize, int batchSize, int sequences, int threads, bool kvUnified)
    {
        var p = LLamaContextParams.Default();
        p.n_ctx = (uint)contextSize;
        p.n_batch = (uint)batchSize;
        p.n_ubatch = (uint)batchSize;
        p.n_seq_max = (uint)sequences;
        p.n_threads = threads;
        p.n_threads_batch = threads;
        p.kv_unified = kvUnified;
        p.no_perf = true;
        try
        {
            return SafeLLamaContextHandle.Create(Handle, p);
        }
        catch (RuntimeError e)
        {
            throw new InvalidOperationException(
                $"llama.cpp could not create a context of {contextSize} tokens for model '{model}': {LlamaLog.LastLine ?? e.Message}", e);
        }
    }

    /// <summary>Tokens of <paramref name="text"/>, with BOS when the model wants it and <paramref name="addSpecial"/>.</summary>
    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial) =>
        Array.ConvertAll(Handle.Tokenize(text, addSpecial, parseSpecial, Encoding.UTF8), t => (int)t);

    /// <summary>The bytes of one token (special tokens render as nothing).</summary>
    public int TokenToPiece(int token, Span<byte> buffer)
    {
        var n = NativeApi.llama_token_to_piece(Vocab, token, buffer, 0, false);
        return n < 0 ? throw new InvalidOperationException($"Token {token} needs {-n} bytes.") : n;
    }

    /// <summary>Text of a token sequence.</summary>
    public string Detokenize(ReadOnlySpan<int> tokens)
    {
        var bytes = new List<byte>();
        Span<byte> piece = stackalloc byte[256];
        foreach (var t in tokens) bytes.AddRange(piece[..TokenToPiece(t, piece)]);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(Vocab);

    /// <summary>Renders chat messages with the model's template (ChatML when the model has none), ending with the
    /// assistant's turn.</summary>
    public string ApplyChatTemplate(IReadOnlyList<(string Role, string Content)> messages)
    {
        var template = new LLamaTemplate(ChatTemplate ?? "chatml") { AddAssistant = true };
        foreach (var (role, content) in messages) template.Add(role, content);
        try
        {
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"The model's chat template is not supported by llama.cpp ({e.Message}).", e);
        }
    }

    public void Dispose() => Handle.Dispose();
}
