using Akka.Actor;
using Akka.Configuration;
using Orchestrator.Node.Clustering;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>When a node restarted on its own address joins: only once the running cluster can have removed its earlier
/// incarnation (a new incarnation that joins before was now and then left unable to reach a member, and downed).</summary>
public sealed class ClusterJoinSpec
{
    private static readonly TimeSpan Removal = TimeSpan.FromSeconds(7);
    private static readonly IReadOnlyList<Address> Running = [new("akka.tcp", "orchestrator", "127.0.0.1", 9112)];

    [Fact]
    public void A_node_whose_earlier_incarnation_still_holds_leases_waits_for_their_expiry_and_the_removal_time()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ClusterJoin.JoinDelay(new LeaseHolders(Running, TimeSpan.FromSeconds(-3)), Removal));
        Assert.Equal(TimeSpan.FromSeconds(5), ClusterJoin.JoinDelay(new LeaseHolders(Running, TimeSpan.FromSeconds(2)), Removal));
    }

    [Fact]
    public void No_wait_without_an_earlier_incarnation_once_it_is_removed_or_with_no_cluster_to_join()
    {
        Assert.Equal(TimeSpan.Zero, ClusterJoin.JoinDelay(new LeaseHolders(Running, null), Removal));
        Assert.Equal(TimeSpan.Zero, ClusterJoin.JoinDelay(new LeaseHolders(Running, TimeSpan.FromSeconds(8)), Removal));
        Assert.Equal(TimeSpan.Zero, ClusterJoin.JoinDelay(new LeaseHolders([], TimeSpan.FromSeconds(-3)), Removal));
    }

    [Fact]
    public void The_removal_time_is_failure_detection_plus_stable_after_plus_the_removal_margin()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.cluster.failure-detector { heartbeat-interval = 1s, acceptable-heartbeat-pause = 3s }
            akka.cluster.split-brain-resolver.stable-after = 2s
            akka.cluster.down-removal-margin = 1s
            """);
        Assert.Equal(TimeSpan.FromSeconds(7), ClusterJoin.RemovalTime(config));
        var noMargin = ConfigurationFactory.ParseString("akka.cluster.down-removal-margin = off").WithFallback(config);
        Assert.Equal(TimeSpan.FromSeconds(6), ClusterJoin.RemovalTime(noMargin));
    }
}
