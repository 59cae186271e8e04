using Akka.Actor;
using Akka.Event;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Clustering;

/// <summary>How a node joins its cluster. Alone (no seed nodes) it joins itself. With seeds on SQLite it joins them as
/// Akka does. With seeds on PostgreSQL the database decides first: while other nodes hold leases there, a cluster is
/// running, and the node joins those nodes and never forms a cluster of its own, whatever its seed list says (a seed
/// SIGKILLed and restarted at once would otherwise form a second cluster on the same database and run its sessions
/// beside the first). Only when no other node holds a lease (a cold start, or a whole cluster gone for longer than a
/// lease's time-to-live) may the first seed form a new cluster. A node restarted at once after a crash first waits
/// until its earlier incarnation's leases have been expired for as long as the cluster takes to down and remove it
/// (<see cref="JoinDelay"/>): Akka lets a new incarnation on the same address join only after the old one is removed,
/// and one that tried earlier was now and then left unable to reach some members (and downed by the split-brain
/// resolver as indirectly connected).</summary>
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
        await WaitUntilEarlierIncarnationRemovedAsync(system, keeper, log).ConfigureAwait(false);
        List<Address>? joining = null;
        while (!up.Task.IsCompleted && !system.WhenTerminated.IsCompleted)
        {
            IReadOnlyList<Address> running;
            try
            {
                running = (await keeper.LiveHoldersAsync(cluster.SelfAddress).ConfigureAwait(false)).Others;
            }
            catch (Exception e) when (CannotReadLeases(e))
            {
                log.Warning("Cannot read the cluster's leases to decide how to join ({0}); trying again", e.Message);
                await Task.WhenAny(up.Task, Task.Delay(settings.Cluster.LeaseHeartbeat)).ConfigureAwait(false);
                continue;
            }
            var wanted = running.Count > 0 ? running.ToList() : seeds;
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

    /// <summary>Returns at once unless an earlier incarnation of this node had leases while other nodes hold theirs (a
    /// running cluster that may not have removed it yet); then once its leases have been expired for as long as the
    /// cluster takes to down and remove it (<see cref="RemovalTime"/>, counted from the database's clock).</summary>
    private static async Task WaitUntilEarlierIncarnationRemovedAsync(ActorSystem system, LeaseKeeper keeper, ILoggingAdapter log)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        var removal = RemovalTime(system.Settings.Config);
        LeaseHolders holders;
        try
        {
            holders = await keeper.LiveHoldersAsync(self).ConfigureAwait(false);
        }
        catch (Exception e) when (CannotReadLeases(e))
        {
            return; // the join loop reads the leases again and reports what fails
        }
        var wait = JoinDelay(holders, removal);
        if (wait <= TimeSpan.Zero)
            return;
        var expiredFor = holders.EarlierIncarnationExpiredFor!.Value;
        log.Info("An earlier incarnation of this node had leases until {0:0.0} s ago (it stopped without leaving): joining in " +
                 "{1:0.0} s, once the cluster has had {2} after they expired to down and remove it",
            Math.Max(0, expiredFor.TotalSeconds), wait.TotalSeconds, removal);
        await Task.WhenAny(system.WhenTerminated, Task.Delay(wait)).ConfigureAwait(false);
    }

    /// <summary>How long a node waits before joining: until the leases of its earlier incarnation have been expired for
    /// <paramref name="removal"/>, when other nodes hold leases (a running cluster that may still count that incarnation as
    /// a member); zero otherwise.</summary>
    internal static TimeSpan JoinDelay(LeaseHolders holders, TimeSpan removal) =>
        holders is { EarlierIncarnationExpiredFor: { } expiredFor, Others.Count: > 0 } && expiredFor < removal
            ? removal - expiredFor
            : TimeSpan.Zero;

    /// <summary>How long the cluster takes from a node's last heartbeat to its removal: the failure detector's heartbeat
    /// interval and acceptable pause, the split-brain resolver's stable-after, and the down-removal margin.</summary>
    internal static TimeSpan RemovalTime(Akka.Configuration.Config config)
    {
        TimeSpan Read(string path, TimeSpan fallback) =>
            config.HasPath(path) && config.GetString(path) is { } text && text != "off" ? config.GetTimeSpan(path, fallback) : fallback;
        return Read("akka.cluster.failure-detector.heartbeat-interval", TimeSpan.FromSeconds(1))
               + Read("akka.cluster.failure-detector.acceptable-heartbeat-pause", TimeSpan.FromSeconds(3))
               + Read("akka.cluster.split-brain-resolver.stable-after", TimeSpan.FromSeconds(20))
               + Read("akka.cluster.down-removal-margin", TimeSpan.Zero);
    }

    /// <summary>Whether <paramref name="e"/> is the lease table not answering (the join reads it again later).</summary>
    private static bool CannotReadLeases(Exception e) =>
        e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException;
}
