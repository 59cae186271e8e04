namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>A cluster member as this node sees it; <see cref="Status"/> is Akka's member status (<c>Up</c>, <c>Leaving</c>...).</summary>
public sealed record ClusterMemberDto(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool IsLeader, bool IsSelf);
