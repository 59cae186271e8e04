namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>One node's shard region: its shards, the shards that did not answer, and totals.</summary>
public sealed record RegionDto(string Address, bool IsSelf, int Shards, int Entities, IReadOnlyList<ShardDto> ShardStats, IReadOnlyList<string> Failed);
