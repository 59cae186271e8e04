namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>The reply of <c>GET /api/cluster</c>: this node, the leader, and every member.</summary>
public sealed record ClusterStateDto(string Self, string? Leader, IReadOnlyList<ClusterMemberDto> Members);
