using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Orchestrator.Llama.Native;

/// <summary>Source-generated bindings of llama.cpp v0.5.0's <c>llama.h</c> (and the two ggml calls the loader needs).
/// Only what the pool uses; signatures copied from the header of that release. Pointers to native objects are
/// raw here; <see cref="SafeLlamaModelHandle"/> and friends own them.</summary>
internal static unsafe partial class LlamaNative
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";
    public const string GgmlBase = "ggml-base";

    // ---- backend, logging, versions
    [LibraryImport(Llama, EntryPoint = "llama_backend_init")]
    public static partial void BackendInit();

    [LibraryImport(Llama, EntryPoint = "llama_log_set")]
    public static partial void LogSet(delegate* unmanaged[Cdecl]<int, byte*, nint, void> callback, nint userData);

    [LibraryImport(Ggml, EntryPoint = "ggml_backend_load_all_from_path")]
    public static partial void GgmlBackendLoadAllFromPath([MarshalAs(UnmanagedType.LPUTF8Str)] string dirPath);

    [LibraryImport(Ggml, EntryPoint = "ggml_backend_reg_count")]
    public static partial nuint GgmlBackendRegCount();

    [LibraryImport(Ggml, EntryPoint = "ggml_backend_dev_count")]
    public static partial nuint GgmlBackendDevCount();

    [LibraryImport(Llama, EntryPoint = "llama_print_system_info")]
    public static partial byte* PrintSystemInfo();

    [LibraryImport(Llama, EntryPoint = "llama_max_parallel_sequences")]
    public static partial nuint MaxParallelSequences();

    // ---- default parameters
    [LibraryImport(Llama, EntryPoint = "llama_model_default_params")]
    public static partial LlamaModelParams ModelDefaultParams();

    [LibraryImport(Llama, EntryPoint = "llama_context_default_params")]
    public static partial LlamaContextParams ContextDefaultParams();

    [LibraryImport(Llama, EntryPoint = "llama_sampler_chain_default_params")]
    public static partial LlamaSamplerChainParams SamplerChainDefaultParams();

    // ---- model
    [LibraryImport(Llama, EntryPoint = "llama_model_load_from_file")]
    public static partial nint ModelLoadFromFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, LlamaModelParams p);

    [LibraryImport(Llama, EntryPoint = "llama_model_free")]
    public static partial void ModelFree(nint model);

    [LibraryImport(Llama, EntryPoint = "llama_model_get_vocab")]
    public static partial nint ModelGetVocab(SafeLlamaModelHandle model);

    [LibraryImport(Llama, EntryPoint = "llama_model_n_ctx_train")]
    public static partial int ModelNCtxTrain(SafeLlamaModelHandle model);

    [LibraryImport(Llama, EntryPoint = "llama_model_n_embd")]
    public static partial int ModelNEmbd(SafeLlamaModelHandle model);

    [LibraryImport(Llama, EntryPoint = "llama_model_n_layer")]
    public static partial int ModelNLayer(SafeLlamaModelHandle model);

    [LibraryImport(Llama, EntryPoint = "llama_model_n_params")]
    public static partial ulong ModelNParams(SafeLlamaModelHandle model);

    [LibraryImport(Llama, EntryPoint = "llama_model_size")]
    public static partial ulong ModelSize(SafeLlamaModelHandle model);

    [LibraryImport(Llama, EntryPoint = "llama_model_chat_template")]
    public static partial byte* ModelChatTemplate(SafeLlamaModelHandle model, byte* name);

    [LibraryImport(Llama, EntryPoint = "llama_model_desc")]
    public static partial int ModelDesc(SafeLlamaModelHandle model, byte* buf, nuint bufSize);

    // ---- context
    [LibraryImport(Llama, EntryPoint = "llama_init_from_model")]
    public static partial nint InitFromModel(SafeLlamaModelHandle model, LlamaContextParams p);

    [LibraryImport(Llama, EntryPoint = "llama_free")]
    public static partial void Free(nint ctx);

    [LibraryImport(Llama, EntryPoint = "llama_n_ctx")]
    public static partial uint NCtx(SafeLlamaContextHandle ctx);

    [LibraryImport(Llama, EntryPoint = "llama_n_ctx_seq")]
    public static partial uint NCtxSeq(SafeLlamaContextHandle ctx);

    [LibraryImport(Llama, EntryPoint = "llama_n_batch")]
    public static partial uint NBatch(SafeLlamaContextHandle ctx);

    [LibraryImport(Llama, EntryPoint = "llama_n_seq_max")]
    public static partial uint NSeqMax(SafeLlamaContextHandle ctx);

    [LibraryImport(Llama, EntryPoint = "llama_get_memory")]
    public static partial nint GetMemory(SafeLlamaContextHandle ctx);

    [LibraryImport(Llama, EntryPoint = "llama_decode")]
    public static partial int Decode(SafeLlamaContextHandle ctx, LlamaBatchNative batch);

    [LibraryImport(Llama, EntryPoint = "llama_get_logits_ith")]
    public static partial float* GetLogitsIth(SafeLlamaContextHandle ctx, int i);

    [LibraryImport(Llama, EntryPoint = "llama_set_n_threads")]
    public static partial void SetNThreads(SafeLlamaContextHandle ctx, int nThreads, int nThreadsBatch);

    // ---- memory (KV cache) sequence operations
    [LibraryImport(Llama, EntryPoint = "llama_memory_clear")]
    public static partial void MemoryClear(nint mem, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(Llama, EntryPoint = "llama_memory_seq_rm")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool MemorySeqRm(nint mem, int seqId, int p0, int p1);

    [LibraryImport(Llama, EntryPoint = "llama_memory_seq_cp")]
    public static partial void MemorySeqCp(nint mem, int src, int dst, int p0, int p1);

    [LibraryImport(Llama, EntryPoint = "llama_memory_seq_keep")]
    public static partial void MemorySeqKeep(nint mem, int seqId);

    [LibraryImport(Llama, EntryPoint = "llama_memory_seq_pos_max")]
    public static partial int MemorySeqPosMax(nint mem, int seqId);

    [LibraryImport(Llama, EntryPoint = "llama_memory_seq_pos_min")]
    public static partial int MemorySeqPosMin(nint mem, int seqId);

    // ---- batch
    [LibraryImport(Llama, EntryPoint = "llama_batch_init")]
    public static partial LlamaBatchNative BatchInit(int nTokens, int embd, int nSeqMax);

    [LibraryImport(Llama, EntryPoint = "llama_batch_free")]
    public static partial void BatchFree(LlamaBatchNative batch);

    // ---- vocabulary, tokens, chat templates
    [LibraryImport(Llama, EntryPoint = "llama_vocab_n_tokens")]
    public static partial int VocabNTokens(nint vocab);

    [LibraryImport(Llama, EntryPoint = "llama_vocab_is_eog")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool VocabIsEog(nint vocab, int token);

    [LibraryImport(Llama, EntryPoint = "llama_vocab_bos")]
    public static partial int VocabBos(nint vocab);

    [LibraryImport(Llama, EntryPoint = "llama_vocab_eos")]
    public static partial int VocabEos(nint vocab);

    [LibraryImport(Llama, EntryPoint = "llama_tokenize")]
    public static partial int Tokenize(nint vocab, byte* text, int textLen, int* tokens, int nTokensMax,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    [LibraryImport(Llama, EntryPoint = "llama_token_to_piece")]
    public static partial int TokenToPiece(nint vocab, int token, byte* buf, int length, int lstrip,
        [MarshalAs(UnmanagedType.U1)] bool special);

    [LibraryImport(Llama, EntryPoint = "llama_detokenize")]
    public static partial int Detokenize(nint vocab, int* tokens, int nTokens, byte* text, int textLenMax,
        [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);

    [LibraryImport(Llama, EntryPoint = "llama_chat_apply_template")]
    public static partial int ChatApplyTemplate(byte* tmpl, LlamaChatMessageNative* chat, nuint nMsg,
        [MarshalAs(UnmanagedType.U1)] bool addAss, byte* buf, int length);

    // ---- samplers
    [LibraryImport(Llama, EntryPoint = "llama_sampler_chain_init")]
    public static partial nint SamplerChainInit(LlamaSamplerChainParams p);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_chain_add")]
    public static partial void SamplerChainAdd(SafeLlamaSamplerHandle chain, nint sampler);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_chain_n")]
    public static partial int SamplerChainN(SafeLlamaSamplerHandle chain);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_free")]
    public static partial void SamplerFree(nint sampler);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_sample")]
    public static partial int SamplerSample(SafeLlamaSamplerHandle sampler, SafeLlamaContextHandle ctx, int idx);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_accept")]
    public static partial void SamplerAccept(SafeLlamaSamplerHandle sampler, int token);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_reset")]
    public static partial void SamplerReset(SafeLlamaSamplerHandle sampler);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_greedy")]
    public static partial nint SamplerInitGreedy();

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_dist")]
    public static partial nint SamplerInitDist(uint seed);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_top_k")]
    public static partial nint SamplerInitTopK(int k);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_top_p")]
    public static partial nint SamplerInitTopP(float p, nuint minKeep);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_min_p")]
    public static partial nint SamplerInitMinP(float p, nuint minKeep);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_temp")]
    public static partial nint SamplerInitTemp(float t);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_penalties")]
    public static partial nint SamplerInitPenalties(int nVocab, int penaltyLastN, float penaltyRepeat,
        float penaltyFreq, float penaltyPresent);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_logit_bias")]
    public static partial nint SamplerInitLogitBias(int nVocab, int nLogitBias, LlamaLogitBias* logitBias);

    [LibraryImport(Llama, EntryPoint = "llama_sampler_init_grammar")]
    public static partial nint SamplerInitGrammar(nint vocab, [MarshalAs(UnmanagedType.LPUTF8Str)] string grammar,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string root);

    /// <summary>A C string owned by llama.cpp, as a managed string (null for a null pointer).</summary>
    public static string? PtrToString(byte* p) => p == null ? null : Marshal.PtrToStringUTF8((nint)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte AsByte(bool b) => b ? (byte)1 : (byte)0;
}
