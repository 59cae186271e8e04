namespace Orchestrator.Node.Configuration;

/// <summary>How a node on PostgreSQL holds its leases (<c>orchestrator.cluster.lease</c>), and whether it opens its session
/// gateway to ClusterClients (<c>orchestrator.cluster.session-gateway</c>), read and checked once at start.</summary>
/// <param name="LeaseTimeToLive">How long a lease outlives its holder's last renewal.</param>
/// <param name="LeaseHeartbeat">How often a node renews its leases.</param>
/// <param name="LeaseOperationTimeout">How long one lease statement may take.</param>
/// <param name="SessionGateway">Whether the node registers its session gateway with the ClusterClient receptionist.</param>
public sealed record ClusterSettings(TimeSpan LeaseTimeToLive, TimeSpan LeaseHeartbeat, TimeSpan LeaseOperationTimeout, bool SessionGateway = false)
{
    private const string Section = "orchestrator.cluster.lease";

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static ClusterSettings From(NodeConfig c)
    {
        var settings = new ClusterSettings(
            SettingRules.Duration(c, $"{Section}.time-to-live"),
            SettingRules.Duration(c, $"{Section}.heartbeat-interval"),
            SettingRules.Duration(c, $"{Section}.operation-timeout"),
            SettingRules.Flag(c, "orchestrator.cluster.session-gateway"));
        if (settings.LeaseHeartbeat * 2 > settings.LeaseTimeToLive)
            throw SettingRules.OutOfRange(c, $"{Section}.heartbeat-interval",
                $"at most half of {Section}.time-to-live ({settings.LeaseTimeToLive.TotalSeconds:0.###} s), so a lease is renewed at least twice before it expires",
                $"{settings.LeaseHeartbeat.TotalSeconds:0.###} s");
        return settings;
    }
}
