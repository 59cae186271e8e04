namespace Orchestrator.Llama.Pool;

/// <summary>One served model: <c>orchestrator.llm.models.&lt;name&gt; { path, context-size, sequences, threads,
/// batch-size, prefill-chunk, gpu-layers, queue-size, kv-unified }</c> over <c>model-defaults</c> (a node reads them
/// with its <c>ModelsSettings</c>).</summary>
public sealed record PoolSettings(
    string Name,
    string Path,
    int ContextSize = 4096,
    int Sequences = 4,
    int Threads = 0,
    int BatchSize = 512,
    int PrefillChunk = 256,
    int GpuLayers = 0,
    int QueueSize = 64,
    bool KvUnified = true,
    string NativePath = "")
{
    /// <summary>Threads llama.cpp uses: the setting, or one per core.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>Throws when the numbers cannot work together.</summary>
    public PoolSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException($"Model '{Name}' has no path.");
        if (Sequences is < 1 or > 256) throw new ArgumentException($"Model '{Name}': sequences must be 1..256, not {Sequences}.");
        if (ContextSize < Sequences * 16)
            throw new ArgumentException($"Model '{Name}': context-size {ContextSize} is too small for {Sequences} sequences.");
        if (BatchSize < Sequences) throw new ArgumentException($"Model '{Name}': batch-size {BatchSize} must be at least sequences {Sequences}.");
        if (PrefillChunk < 1) throw new ArgumentException($"Model '{Name}': prefill-chunk must be positive.");
        if (QueueSize < 0) throw new ArgumentException($"Model '{Name}': queue-size must not be negative.");
        return this;
    }
}
