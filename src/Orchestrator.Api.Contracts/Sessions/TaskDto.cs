namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>One task of a session's detail: its place in the DAG, where it is, its attempts, and its output or last error.</summary>
public sealed record TaskDto(
    string Id,
    string AgentRole,
    string? Phase,
    IReadOnlyList<string> DependsOn,
    TaskStateDto State,
    int Attempt,
    int Failures,
    string? Model,
    string? Output,
    string? LastError);
