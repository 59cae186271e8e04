namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>The reply of <c>POST /api/cluster/down-unreachable</c>: the addresses downed.</summary>
public sealed record DownedDto(IReadOnlyList<string> Downed);
