namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A session as <c>GET /api/sessions/{id}</c> shows it: the fields of its status (how many of its tasks wait for
/// a person's answer among them), when it was created with which inputs, and every task of its DAG with its state.</summary>
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
    int AwaitingAnswer,
    DateTimeOffset? CreatedAt,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyList<TaskDto> Tasks);
