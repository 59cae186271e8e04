namespace Orchestrator.Api.Contracts.Models;

/// <summary>A model a node serves: its file, context size, parallel sequences, threads, whether it is loaded, and the
/// llama.cpp build it runs on (avx512, avx2, ...; null until loaded).</summary>
public sealed record ModelInfoDto(string Name, string Path, int ContextSize, int Sequences, int Threads, bool Loaded, string? NativeVariant = null);
