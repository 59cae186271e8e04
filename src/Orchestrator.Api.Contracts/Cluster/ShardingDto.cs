namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>The reply of <c>GET /api/cluster/sharding</c>: the shard region of one entity type across the cluster.</summary>
public sealed record ShardingDto(string TypeName, int Shards, int Entities, IReadOnlyList<RegionDto> Regions);
