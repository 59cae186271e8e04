using Akka.Configuration;
using Orchestrator.Client;
using Orchestrator.Core.Models;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Clustering;

/// <summary>The Akka settings that follow from a node's own: its cluster roles (<see cref="ClusterRoles.Node"/>, with a
/// role per model it serves) and what is limited to that role, and on PostgreSQL the lease every session shard,
/// singleton and split-brain decision holds in the database.</summary>
public static class ClusterHocon
{
    /// <summary>The config path of the lease implementation Akka loads.</summary>
    public const string LeasePath = "orchestrator.cluster.lease.implementation";

    /// <summary>The HOCON for <paramref name="settings"/>: the roles, what runs only on nodes, and the lease on PostgreSQL.</summary>
    public static Config For(NodeSettings settings)
    {
        // Quoted here: Akka.Cluster.Hosting writes ClusterOptions.Roles into HOCON unquoted, and a role with ':' (every
        // model role) then fails the node's start.
        var roles = ConfigurationFactory.ParseString($"akka.cluster.roles = [{string.Join(", ", Roles(settings).Select(HoconText.Quote))}]")
            .WithFallback(ConfigurationFactory.ParseString(NodeOnly));
        return settings.Persistence.Provider == PersistenceProvider.PostgreSql
            ? ConfigurationFactory.ParseString(Lease(settings.Cluster)).WithFallback(roles)
            : roles;
    }

    /// <summary>The node's role (<see cref="ClusterRoles.Node"/>), its configured roles and a model role
    /// (<c>model:&lt;name&gt;</c>) per model it serves: how other nodes' model routers know where a model runs.</summary>
    public static IReadOnlyList<string> Roles(NodeSettings settings) =>
        settings.Roles.Prepend(ClusterRoles.Node).Concat(settings.Models.Served.Keys.Select(ModelRoles.RoleOf)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The lease settings for a <see cref="LeaseKeeper"/> on <paramref name="settings"/>' database.</summary>
    public static LeaseKeeperSettings LeaseKeeper(NodeSettings settings) => new(
        Persistence.ConnectionStrings.For(settings.Persistence),
        settings.Cluster.LeaseTimeToLive, settings.Cluster.LeaseHeartbeat, settings.Cluster.LeaseOperationTimeout);

    /// <summary>What is limited to members of <see cref="ClusterRoles.Node"/>, so that another application's member (a
    /// client of the <c>session</c> region) hosts nothing and does not count in the split-brain resolver's majority;
    /// sharding and the singletons are limited in code too (<c>SessionSharding</c>, <c>ClusterSingletons</c>).</summary>
    private static readonly string NodeOnly = $$"""
        akka.cluster.sharding.role = "{{ClusterRoles.Node}}"
        akka.cluster.singleton.role = "{{ClusterRoles.Node}}"
        akka.cluster.singleton-proxy.role = "{{ClusterRoles.Node}}"
        akka.cluster.pub-sub.role = "{{ClusterRoles.Node}}"
        akka.cluster.client.receptionist.role = "{{ClusterRoles.Node}}"
        akka.cluster.split-brain-resolver.keep-majority.role = "{{ClusterRoles.Node}}"
        akka.cluster.split-brain-resolver.lease-majority.role = "{{ClusterRoles.Node}}"
        """;

    private static string Lease(ClusterSettings cluster) => $$"""
        {{LeasePath}} {
          lease-class = "{{typeof(PostgreSqlLease).FullName}}, {{typeof(PostgreSqlLease).Assembly.GetName().Name}}"
          heartbeat-timeout = {{Millis(cluster.LeaseTimeToLive)}}
          heartbeat-interval = {{Millis(cluster.LeaseHeartbeat)}}
          lease-operation-timeout = {{Millis(cluster.LeaseOperationTimeout)}}
        }
        # A shard starts only where its lease is held; a dead node's lease frees itself after its time-to-live.
        akka.cluster.sharding { use-lease = "{{LeasePath}}", lease-retry-interval = {{Millis(cluster.LeaseHeartbeat)}} }
        akka.cluster.singleton { use-lease = "{{LeasePath}}", lease-retry-interval = {{Millis(cluster.LeaseHeartbeat)}} }
        # Majority first (the minority side waits before trying), the lease decides: a side that cannot take it downs itself.
        akka.cluster.split-brain-resolver {
          active-strategy = lease-majority
          lease-majority { lease-implementation = "{{LeasePath}}", acquire-lease-delay-for-minority = 2s }
        }
        """;

    private static string Millis(TimeSpan span) => $"{(long)span.TotalMilliseconds}ms";
}
