namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A session as <c>GET /api/sessions/{id}</c> shows it: the fields of its status, when it was created with which
/// inputs, every task of its DAG with its state, and how many of them wait for a person's answer.</summary>
public sealed record SessionDetailDto(
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
    DateTimeOffset? CreatedAt,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyList<TaskDto> Tasks,
    int AwaitingAnswer = 0);
