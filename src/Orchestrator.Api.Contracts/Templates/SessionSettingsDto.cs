namespace Orchestrator.Api.Contracts.Templates;

/// <summary>The settings a template's sessions run under, every value given (durations as <c>d.hh:mm:ss</c> text).</summary>
public sealed record SessionSettingsDto(
    int MaxConcurrentTasks,
    TimeSpan DispatchSpacing,
    TimeSpan? TimeBudget,
    long? TokenBudget,
    double QualityThreshold,
    int MaxIterations,
    int MaxIterationsWithoutImprovement,
    int MaxSessionRetries,
    TimeSpan RetryBaseDelay,
    TimeSpan RetryMaxDelay,
    string? ScorerNode,
    int TasksPerIteration,
    SessionContextSettingsDto? Context = null);
