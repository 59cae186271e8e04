namespace Orchestrator.Messages.Sessions;

/// <summary>One line of the session list: what the node-wide feed tells of a session (its lifecycle events), without
/// asking the session itself.</summary>
public sealed record SessionSummary(
    string SessionId,
    string Template,
    SessionLifecycle Lifecycle,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Iteration,
    double? BestScore,
    string? EndReason);
