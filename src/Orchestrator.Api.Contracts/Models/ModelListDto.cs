namespace Orchestrator.Api.Contracts.Models;

/// <summary>The reply of <c>GET /api/models</c>.</summary>
public sealed record ModelListDto(IReadOnlyList<ModelInfoDto> Models);
