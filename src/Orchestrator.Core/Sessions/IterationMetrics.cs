namespace Orchestrator.Core.Sessions;

/// <summary>The figures of one finished iteration: its score (null without a scorer), the change from the best score
/// before it, tasks run and failed, tokens and wall time.</summary>
public sealed record IterationMetrics(
    int Iteration,
    double? Score,
    double? Improvement,
    int TasksRun,
    int TasksFailed,
    long Tokens,
    TimeSpan Duration);
