namespace Orchestrator.Api.Contracts.Models;

/// <summary>A model a node serves: its file, context size, parallel sequences, threads, and whether it is loaded.</summary>
public sealed record ModelInfoDto(string Name, string Path, int ContextSize, int Sequences, int Threads, bool Loaded);
