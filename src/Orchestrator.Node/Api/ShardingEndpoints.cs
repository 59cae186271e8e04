using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Orchestrator.Api.Contracts.Cluster;
using Orchestrator.Client;
using Orchestrator.Engine.Sessions;

namespace Orchestrator.Node.Api;

/// <summary>The <c>session</c> shard region across the cluster (<c>orch cluster-sharding region-stats</c>): for each
/// node's region, its shards and the entities (sessions) each holds, from Akka's <see cref="GetClusterShardingStats"/>.</summary>
public static class ShardingEndpoints
{
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps <c>GET /api/cluster/sharding</c>.</summary>
    public static void MapShardingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster/sharding", async (ActorSystem system, IRequiredActor<SessionRegion> region, CancellationToken ct) =>
        {
            ClusterShardingStats stats;
            try
            {
                stats = await (await region.GetAsync(ct)).Ask<ClusterShardingStats>(
                    new GetClusterShardingStats(StatsTimeout), StatsTimeout + TimeSpan.FromSeconds(5), ct);
            }
            catch (AskTimeoutException)
            {
                // One region that does not answer (a member unreachable, or still joining) can keep Akka from answering at all.
                return Problems.Unavailable($"The shard regions did not all answer within {StatsTimeout.TotalSeconds:0} s" +
                                            (UnreachableNodes(system) is { } unreachable ? $"; unreachable: {unreachable}." : "."));
            }
            // Or Akka answers without the regions that did not (it answered none at all here once): a partial list would
            // say the sessions of an unreachable node are nowhere.
            if (UnreachableNodes(system) is { } missing)
                return Problems.Unavailable($"The shard regions did not all answer; unreachable: {missing}.");
            var self = Cluster.Get(system).SelfAddress;
            var regions = stats.Regions
                .OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)
                .Select(r => new RegionDto(
                    r.Key.ToString(), r.Key.Equals(self), r.Value.Stats.Count, r.Value.Stats.Values.Sum(),
                    r.Value.Stats.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ShardDto(s.Key, s.Value)).ToList(),
                    r.Value.Failed.Order(StringComparer.Ordinal).ToList()))
                .ToList();
            return Results.Ok(new ShardingDto(SessionSharding.TypeName, regions.Sum(r => r.Shards), regions.Sum(r => r.Entities), regions));
        }).Produces<ShardingDto>();
    }

    /// <summary>The nodes (members of role <see cref="ClusterRoles.Node"/>, which host the region) this node cannot reach,
    /// or null when it reaches them all.</summary>
    private static string? UnreachableNodes(ActorSystem system)
    {
        var unreachable = Cluster.Get(system).State.Unreachable.Where(m => m.HasRole(ClusterRoles.Node)).Select(m => m.Address.ToString())
            .Order(StringComparer.Ordinal).ToList();
        return unreachable.Count > 0 ? string.Join(", ", unreachable) : null;
    }
}
