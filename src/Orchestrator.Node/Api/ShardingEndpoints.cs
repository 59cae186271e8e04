using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Orchestrator.Api.Contracts.Cluster;
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
                // One region that does not answer (a member unreachable, or still joining) keeps Akka from answering at all.
                var unreachable = Cluster.Get(system).State.Unreachable.Select(m => m.Address.ToString()).ToList();
                return Problems.Unavailable(
                    $"The shard regions did not all answer within {StatsTimeout.TotalSeconds:0} s" +
                    (unreachable.Count > 0 ? $"; unreachable: {string.Join(", ", unreachable)}." : "."));
            }
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
}
