using Akka.Configuration;

namespace Orchestrator.Llama.Pool;

/// <summary>One served model: <c>orchestrator.llm.models.&lt;name&gt; { path, context-size, sequences, threads,
/// batch-size, prefill-chunk, gpu-layers, queue-size, kv-unified }</c> over <c>model-defaults</c>.</summary>
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
    bool KvUnified = false,
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

    /// <summary>Every model under <c>orchestrator.llm.models</c>, with <c>model-defaults</c> and the reference
    /// configuration as fallbacks. Relative model paths are resolved against the repository root, then the application.</summary>
    public static IReadOnlyList<PoolSettings> FromConfig(Config config)
    {
        var llm = config.WithFallback(LlamaConfig.Reference).GetConfig("orchestrator.llm");
        var defaults = llm.GetConfig("model-defaults");
        var native = llm.GetString("native-path", "");
        var models = llm.GetConfig("models");
        if (models is null || models.IsEmpty) return [];
        var result = new List<PoolSettings>();
        foreach (var name in models.Root.GetObject().Items.Keys)
        {
            var m = models.GetConfig(name);
            int Int(string key) => m.HasPath(key) ? m.GetInt(key) : defaults.GetInt(key);
            result.Add(new PoolSettings(
                name,
                m.GetString("path", ""),
                Int("context-size"),
                Int("sequences"),
                Int("threads"),
                Int("batch-size"),
                Int("prefill-chunk"),
                Int("gpu-layers"),
                Int("queue-size"),
                m.HasPath("kv-unified") ? m.GetBoolean("kv-unified") : defaults.GetBoolean("kv-unified"),
                native).Validate());
        }
        return result;
    }
}
