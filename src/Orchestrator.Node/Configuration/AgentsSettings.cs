namespace Orchestrator.Node.Configuration;

/// <summary>How the agent registry learns and runs, and how the decision engine scores agents (<c>orchestrator.agents</c>),
/// read and checked once at start.</summary>
public sealed record AgentsSettings(
    double MovingAverageAlpha, double CapacityWeight, double PriorWeight, TimeSpan HealthInterval, int SnapshotEvery,
    double ExplorationWeight = 0.3, double LatencyWeight = 0.2, int MaxAgents = 1000)
{
    private const string Section = "orchestrator.agents";

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static AgentsSettings From(NodeConfig c) => new(
        SettingRules.Between(c, $"{Section}.moving-average-alpha", 0, 1, minExclusive: true),
        SettingRules.Between(c, $"{Section}.capacity-weight", 0, 1000),
        SettingRules.Between(c, $"{Section}.prior-weight", 0, 1_000_000),
        SettingRules.Duration(c, $"{Section}.health-interval"),
        SettingRules.AtLeast(c, $"{Section}.snapshot-every", 1),
        SettingRules.Between(c, $"{Section}.exploration-weight", 0, 1000),
        SettingRules.Between(c, $"{Section}.latency-weight", 0, 1000),
        SettingRules.AtLeast(c, $"{Section}.max-agents", 1));
}
