namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The fields of a session's persisted event (<see cref="SessionEventDto.Event"/>) that a client follows progress
/// by; each event has some of them (<c>task-dispatched.v1</c>: task, attempt, model, and the agent when a registered one
/// runs it), the rest read as null.</summary>
public sealed record SessionEventBodyDto(
    string? TaskId = null,
    int? Attempt = null,
    string? Model = null,
    long? Tokens = null,
    string? Reason = null,
    bool? Retryable = null,
    int? Iteration = null,
    IReadOnlyList<string>? TaskIds = null,
    IterationScoreDto? Metrics = null,
    double? FinalScore = null,
    IReadOnlyList<PlannedTaskRefDto>? Tasks = null,
    string? Agent = null);
