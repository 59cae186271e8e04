namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>One task of a session's detail: its place in the DAG, where it is, its attempts, the model and the registered
/// agent that ran its last attempt (no agent: the role's default model ran it), its output or last error, and while it
/// waits for a person (a human node), the question.</summary>
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
    string? LastError,
    string? Agent = null,
    HumanQuestionDto? Question = null);
