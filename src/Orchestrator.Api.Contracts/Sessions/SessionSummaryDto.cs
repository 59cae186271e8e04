namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>One line of the session list.</summary>
public sealed record SessionSummaryDto(
    string SessionId,
    string Template,
    SessionLifecycleDto Lifecycle,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Iteration,
    double? BestScore,
    string? EndReason);
