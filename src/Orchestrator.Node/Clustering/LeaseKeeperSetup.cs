using Akka.Actor.Setup;

namespace Orchestrator.Node.Clustering;

/// <summary>The lease table's database and timing.</summary>
/// <param name="ConnectionString">The Npgsql connection string of the shared database (the journal's).</param>
/// <param name="TimeToLive">How long a lease stays held after its last renewal: how long a dead node's shards wait
/// before another node may start them. Keep it below the time the cluster takes to down an unreachable node, so
/// failover never waits for it.</param>
/// <param name="HeartbeatInterval">How often held leases are renewed: a few times per time-to-live.</param>
/// <param name="OperationTimeout">How long one acquire, renew or release may take.</param>
public sealed record LeaseKeeperSettings(string ConnectionString, TimeSpan TimeToLive, TimeSpan HeartbeatInterval, TimeSpan OperationTimeout);

/// <summary>Hands <see cref="LeaseKeeperSettings"/> to the <see cref="LeaseKeeper"/> through the actor system's setup, so
/// no connection string travels through HOCON.</summary>
public sealed class LeaseKeeperSetup(LeaseKeeperSettings settings) : Setup
{
    /// <summary>The settings.</summary>
    public LeaseKeeperSettings Settings { get; } = settings;
}
