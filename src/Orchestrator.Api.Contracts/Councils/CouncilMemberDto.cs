namespace Orchestrator.Api.Contracts.Councils;

/// <summary>A member of a council: its name, its role, and its model (null: its role's).</summary>
public sealed record CouncilMemberDto(string Name, string Role, string? Model = null);
