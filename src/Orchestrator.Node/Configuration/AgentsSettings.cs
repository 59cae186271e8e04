namespace Orchestrator.Node.Configuration;

/// <summary>How the agent registry learns and runs (<c>orchestrator.agents</c>), read and checked once at start.</summary>
public sealed record AgentsSettings(
    double MovingAverageAlpha, double CapacityWeight, double PriorWeight, TimeSpan HealthInterval, int SnapshotEvery)
{
    private const string Section = "orchestrator.agents";

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static AgentsSettings From(NodeConfig c) => new(
        SettingRules.Between(c, $"{Section}.moving-average-alpha", 0, 1, minExclusive: true),
        SettingRules.Between(c, $"{Section}.capacity-weight", 0, 1000),
        SettingRules.Between(c, $"{Section}.prior-weight", 0, 1_000_000),
        SettingRules.Duration(c, $"{Section}.health-interval"),
        SettingRules.AtLeast(c, $"{Section}.snapshot-every", 1));
}
