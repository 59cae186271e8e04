namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A session's state in figures: the reply of pause, resume, cancel and answer (and the first fields of its
/// detail); <see cref="AwaitingAnswer"/> counts its tasks waiting for a person's answer.</summary>
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
    string? EndReason,
    int AwaitingAnswer = 0);
