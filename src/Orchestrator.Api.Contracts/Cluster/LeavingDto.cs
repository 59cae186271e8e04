namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>The reply of <c>POST /api/cluster/leave</c>: the address that leaves.</summary>
public sealed record LeavingDto(string Leaving);
