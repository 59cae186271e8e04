using Akka.Actor;
using Akka.Event;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Clustering;

/// <summary>How a node joins its cluster. Alone (no seed nodes) it joins itself. With seeds on SQLite it joins them as
/// Akka does. With seeds on PostgreSQL the database decides first: while other nodes hold leases there, a cluster is
/// running, and the node joins those nodes and never forms a cluster of its own, whatever its seed list says (a seed
/// SIGKILLed and restarted at once would otherwise form a second cluster on the same database and run its sessions
/// beside the first). Only when no other node holds a lease (a cold start, or a whole cluster gone for longer than a
/// lease's time-to-live) may the first seed form a new cluster.</summary>
public static class ClusterJoin
{
    /// <summary>Starts joining in the background; returns at once.</summary>
    public static void Start(ActorSystem system, NodeSettings settings)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (settings.SeedNodes.Count == 0)
        {
            cluster.Join(cluster.SelfAddress);
            return;
        }
        var seeds = settings.SeedNodes.Select(Address.Parse).ToList();
        if (settings.Persistence.Provider != PersistenceProvider.PostgreSql)
        {
            cluster.JoinSeedNodes(seeds);
            return;
        }
        _ = Task.Run(() => JoinThroughLeasesAsync(system, settings, seeds));
    }

    private static async Task JoinThroughLeasesAsync(ActorSystem system, NodeSettings settings, List<Address> seeds)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var log = Logging.GetLogger(system, typeof(ClusterJoin));
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        var keeper = LeaseKeeper.Get(system);
        var recheck = settings.Cluster.LeaseTimeToLive + settings.Cluster.LeaseHeartbeat;
        List<Address>? joining = null;
        while (!up.Task.IsCompleted && !system.WhenTerminated.IsCompleted)
        {
            List<Address> running;
            try
            {
                running = await keeper.LiveMembersElsewhereAsync(cluster.SelfAddress).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
            {
                log.Warning("Cannot read the cluster's leases to decide how to join ({0}); trying again", e.Message);
                await Task.WhenAny(up.Task, Task.Delay(settings.Cluster.LeaseHeartbeat)).ConfigureAwait(false);
                continue;
            }
            var wanted = running.Count > 0 ? running : seeds;
            if (joining is null || !joining.ToHashSet().SetEquals(wanted)) // the database lists nodes in no set order
            {
                if (running.Count > 0)
                    log.Info("A cluster is running on this database ({0} hold leases): joining it, never forming another", string.Join(", ", running));
                else
                    log.Info("No node holds a lease on this database: joining seed nodes {0}", string.Join(", ", seeds));
                cluster.JoinSeedNodes(wanted);
                joining = wanted;
            }
            await Task.WhenAny(up.Task, system.WhenTerminated, Task.Delay(recheck)).ConfigureAwait(false);
        }
    }
}
