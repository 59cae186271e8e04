using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Models;

/// <summary>Questions a node's model actor (<c>/user/models</c>) answers for the API and <c>orch models</c>: which
/// models it serves with their settings, and what one model's pool is doing now.</summary>
public static class ModelQueries
{
    /// <summary>Asks for every configured model; answered with <see cref="ModelsServed"/>.</summary>
    public sealed record GetModels : IClusterMessage
    {
        /// <summary>The one instance.</summary>
        public static GetModels Instance { get; } = new();
    }

    /// <summary>One configured model: where its GGUF file is, its context and sequences, the threads llama.cpp uses,
    /// whether its pool has loaded it, the llama.cpp build in use (<c>avx512</c>, <c>avx2</c>, ...; null before a load),
    /// and whether it serves (loading, serving, restarting, failed, with the reason of its latest failure).</summary>
    public sealed record ModelInfo(string Name, string Path, int ContextSize, int Sequences, int Threads, bool Loaded,
        string? NativeVariant = null, ModelServing? Serving = null);

    /// <summary>The models a node serves, by name.</summary>
    public sealed record ModelsServed(IReadOnlyList<ModelInfo> Models) : IClusterMessage;

    /// <summary>Asks for the live figures of <paramref name="Model"/>; answered with <see cref="ModelStats"/>, or
    /// <see cref="ModelNotServed"/> when no such model is configured.</summary>
    public sealed record GetModelStats(string Model) : IClusterMessage;

    /// <summary>What a model's pool is doing: requests waiting for a sequence, sequences generating, tokens per second
    /// over the last <see cref="RateWindow"/>, and counts since the pool (re)started: requests answered with a result,
    /// failed, and refused because the queue was full; and the llama.cpp build in use (<c>avx512</c>, <c>avx2</c>, ...).</summary>
    public sealed record ModelStats(
        string Model,
        bool Loaded,
        int QueueLength,
        int ActiveSequences,
        int Sequences,
        double TokensPerSecond,
        TimeSpan RateWindow,
        long TokensGenerated,
        long RequestsServed,
        long RequestsFailed,
        long RequestsRejected,
        string? NativeVariant = null) : IClusterMessage;

    /// <summary>No model of that name is configured on this node.</summary>
    public sealed record ModelNotServed(string Model, IReadOnlyList<string> Served) : IClusterMessage;

    /// <summary>Published on its actor system's event stream by a model manager when <paramref name="Model"/> starts or
    /// stops serving (loaded, failed, restarting).</summary>
    public sealed record ModelServingChanged(string Model, ModelServing Serving) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("get-models.v1", typeof(GetModels)),
        new("models-served.v1", typeof(ModelsServed)),
        new("get-model-stats.v1", typeof(GetModelStats)),
        new("model-stats.v1", typeof(ModelStats)),
        new("model-not-served.v1", typeof(ModelNotServed)),
        new("model-serving-changed.v1", typeof(ModelServingChanged)),
    ];
}
