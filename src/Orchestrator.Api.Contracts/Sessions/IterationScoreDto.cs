namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The figures of a completed iteration a client shows: which one it was and its score (null: not scored).</summary>
public sealed record IterationScoreDto(int Iteration, double? Score);
