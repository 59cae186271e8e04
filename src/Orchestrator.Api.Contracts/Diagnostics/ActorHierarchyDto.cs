namespace Orchestrator.Api.Contracts.Diagnostics;

/// <summary>The reply of <c>GET /api/actors</c>: the node's address and its actor tree.</summary>
public sealed record ActorHierarchyDto(string Node, IReadOnlyList<ActorNodeDto> Roots);
