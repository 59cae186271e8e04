namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The body of <c>POST /api/sessions/{id}/cancel</c>: why, when given.</summary>
public sealed record CancelSessionRequest(string? Reason);
