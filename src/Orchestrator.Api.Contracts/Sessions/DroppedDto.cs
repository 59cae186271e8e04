namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>How many token chunks a slow client missed (SSE event <c>dropped</c>).</summary>
public sealed record DroppedDto(long Count)
{
    /// <summary>The SSE event type.</summary>
    public const string EventType = "dropped";
}
