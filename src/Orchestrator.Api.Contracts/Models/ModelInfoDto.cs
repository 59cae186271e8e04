namespace Orchestrator.Api.Contracts.Models;

/// <summary>A model a node serves: its file, context size, parallel sequences, threads, whether it is loaded, the
/// llama.cpp build it runs on (avx512, avx2, ...; null until loaded), whether it serves (<c>loading</c>, <c>serving</c>,
/// <c>restarting</c>, <c>failed</c>) and the reason of its latest failure (a load error, how its host ended).</summary>
public sealed record ModelInfoDto(string Name, string Path, int ContextSize, int Sequences, int Threads, bool Loaded, string? NativeVariant = null,
    string? State = null, string? Reason = null);
