namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A chunk of a running task's reply (SSE event <c>task-tokens</c>); <see cref="Member"/> is the transcript key
/// of a council member's or chat speaker's request.</summary>
public sealed record TaskTokensDto(string SessionId, string TaskId, int Attempt, int Index, string Text, string? Member = null)
{
    /// <summary>The SSE event type of token chunks.</summary>
    public const string EventType = "task-tokens";
}
