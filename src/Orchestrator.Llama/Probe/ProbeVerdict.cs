namespace Orchestrator.Llama.Probe;

/// <summary>What a first load in a child process said about a model file: safe to load, or why not.</summary>
public sealed record ProbeVerdict(bool Safe, string Reason);
