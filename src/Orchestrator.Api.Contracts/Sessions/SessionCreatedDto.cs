namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The reply of <c>POST /api/sessions</c>: the id of the session started.</summary>
public sealed record SessionCreatedDto(string Id);
