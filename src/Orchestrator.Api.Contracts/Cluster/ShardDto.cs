namespace Orchestrator.Api.Contracts.Cluster;

/// <summary>One shard and its number of entities.</summary>
public sealed record ShardDto(string ShardId, int Entities);
