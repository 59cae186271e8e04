using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Llama.Gguf;

namespace Orchestrator.Llama.Native;

/// <summary>A loaded model (LLamaSharp's <c>LLamaWeights</c>): weights, vocabulary, tokenizer and chat template. One
/// copy of the weights serves every context and sequence made from it. Validated by <see cref="GgufValidator"/>
/// before llama.cpp opens the file.</summary>
internal sealed unsafe class LlamaWeights : IDisposable
{
    private LlamaWeights(SafeLlamaModelHandle handle, GgufFile header)
    {
        Handle = handle;
        Header = header;
        Vocab = LlamaNative.ModelGetVocab(handle);
        VocabularySize = LlamaNative.VocabNTokens(Vocab);
        Eos = LlamaNative.VocabEos(Vocab);
        ChatTemplate = LlamaNative.PtrToString(LlamaNative.ModelChatTemplate(handle, null));
    }

    public SafeLlamaModelHandle Handle { get; }
    public GgufFile Header { get; }
    public nint Vocab { get; }
    public int VocabularySize { get; }
    public int Eos { get; }
    public string? ChatTemplate { get; }
    public int TrainedContext => LlamaNative.ModelNCtxTrain(Handle);
    public ulong ParameterCount => LlamaNative.ModelNParams(Handle);
    public ulong SizeBytes => LlamaNative.ModelSize(Handle);

    /// <summary>Validates and loads <paramref name="path"/>; <paramref name="progress"/> gets values from 0 to 1.</summary>
    public static LlamaWeights Load(string path, int gpuLayers, Action<float>? progress = null)
    {
        var header = GgufValidator.ReadAndValidate(path);
        var p = LlamaNative.ModelDefaultParams();
        p.NGpuLayers = gpuLayers;
        var box = progress is null ? default : GCHandle.Alloc(progress);
        try
        {
            if (progress is not null)
            {
                p.ProgressCallback = (nint)(delegate* unmanaged[Cdecl]<float, nint, byte>)&OnProgress;
                p.ProgressCallbackUserData = GCHandle.ToIntPtr(box);
            }
            var raw = LlamaNative.ModelLoadFromFile(path, p);
            if (raw == nint.Zero)
                throw new GgufFormatException(path, "llama.cpp refused to load it (see the llama.cpp log for its reason).");
            return new LlamaWeights(SafeLlamaModelHandle.FromRaw(raw), header);
        }
        finally
        {
            if (box.IsAllocated) box.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static byte OnProgress(float progress, nint userData)
    {
        try
        {
            ((Action<float>)GCHandle.FromIntPtr(userData).Target!)(progress);
        }
        catch
        {
            // Progress reporting never aborts a load.
        }
        return 1;
    }

    /// <summary>Tokens of <paramref name="text"/>, with BOS when the model wants it.</summary>
    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new int[bytes.Length + 8];
        fixed (byte* b = bytes)
        fixed (int* t = tokens)
        {
            var n = LlamaNative.Tokenize(Vocab, b, bytes.Length, t, tokens.Length, addSpecial, parseSpecial);
            if (n < 0)
            {
                tokens = new int[-n];
                fixed (int* t2 = tokens)
                    n = LlamaNative.Tokenize(Vocab, b, bytes.Length, t2, tokens.Length, addSpecial, parseSpecial);
            }
            if (n < 0) throw new InvalidOperationException($"llama_tokenize failed ({n}).");
            return tokens.AsSpan(0, n).ToArray();
        }
    }

    /// <summary>The bytes of one token (special tokens render as nothing).</summary>
    public int TokenToPiece(int token, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            var n = LlamaNative.TokenToPiece(Vocab, token, b, buffer.Length, 0, false);
            return n < 0 ? throw new InvalidOperationException($"Token {token} needs {-n} bytes.") : n;
        }
    }

    /// <summary>Text of a token sequence.</summary>
    public string Detokenize(ReadOnlySpan<int> tokens)
    {
        var buffer = new byte[tokens.Length * 16 + 16];
        fixed (int* t = tokens)
        fixed (byte* b = buffer)
        {
            var n = LlamaNative.Detokenize(Vocab, t, tokens.Length, b, buffer.Length, false, false);
            if (n < 0) throw new InvalidOperationException($"llama_detokenize needs {-n} bytes.");
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
    }

    public bool IsEndOfGeneration(int token) => LlamaNative.VocabIsEog(Vocab, token);

    /// <summary>Renders chat messages with the model's template (ChatML when the model has none), ending with the
    /// assistant's turn.</summary>
    public string ApplyChatTemplate(IReadOnlyList<(string Role, string Content)> messages)
    {
        var template = ChatTemplate ?? "chatml";
        var strings = new List<nint>();
        try
        {
            var natives = new LlamaChatMessageNative[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                var role = Marshal.StringToCoTaskMemUTF8(messages[i].Role);
                var content = Marshal.StringToCoTaskMemUTF8(messages[i].Content);
                strings.Add(role);
                strings.Add(content);
                natives[i] = new LlamaChatMessageNative { Role = role, Content = content };
            }
            var tmpl = Marshal.StringToCoTaskMemUTF8(template);
            strings.Add(tmpl);
            var size = 1024 + messages.Sum(m => Encoding.UTF8.GetByteCount(m.Content) + 64) * 2;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var buffer = new byte[size];
                fixed (LlamaChatMessageNative* m = natives)
                fixed (byte* b = buffer)
                {
                    var n = LlamaNative.ChatApplyTemplate((byte*)tmpl, m, (nuint)natives.Length, true, b, buffer.Length);
                    if (n < 0)
                        throw new InvalidOperationException($"The model's chat template is not supported by llama.cpp ({n}).");
                    if (n <= buffer.Length) return Encoding.UTF8.GetString(buffer, 0, n);
                    size = n;
                }
            }
            throw new InvalidOperationException("llama_chat_apply_template kept growing.");
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    public void Dispose() => Handle.Dispose();
}
