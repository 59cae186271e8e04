namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A page of <c>GET /api/sessions</c>, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record SessionPageDto(IReadOnlyList<SessionSummaryDto> Sessions, string? Next);
