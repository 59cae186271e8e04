namespace Orchestrator.Api.Contracts.Councils;

/// <summary>The reply of <c>GET /api/councils</c>: one council per role.</summary>
public sealed record CouncilListDto(IReadOnlyList<CouncilDto> Councils);
