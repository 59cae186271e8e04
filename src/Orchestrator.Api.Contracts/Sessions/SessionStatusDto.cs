namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A session's state in figures: the reply of pause, resume and cancel (and the first fields of its detail).</summary>
public sealed record SessionStatusDto(
    string SessionId,
    SessionLifecycleDto Lifecycle,
    string Template,
    int Iteration,
    int TotalTasks,
    int Succeeded,
    int Failed,
    int Skipped,
    int InFlight,
    long TokensUsed,
    double? BestScore,
    string? EndReason);
