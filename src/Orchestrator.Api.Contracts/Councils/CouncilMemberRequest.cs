namespace Orchestrator.Api.Contracts.Councils;

/// <summary>A member in <c>POST /api/councils</c>: its role, and optionally its name (by default the role in lower case,
/// numbered when the role repeats) and model (by default its role's).</summary>
public sealed record CouncilMemberRequest(string? Name, string? Role, string? Model);
