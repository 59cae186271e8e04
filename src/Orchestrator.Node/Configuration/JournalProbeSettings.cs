namespace Orchestrator.Node.Configuration;

/// <summary>How often a ready node checks that its journal database still takes a write, and how long one check may take.</summary>
public sealed record JournalProbeSettings(TimeSpan Interval, TimeSpan Timeout)
{
    /// <summary>Reads <c>orchestrator.node.journal-probe-interval</c> and <c>journal-probe-timeout</c>.</summary>
    public static JournalProbeSettings From(NodeConfig c) => new(
        SettingRules.Duration(c, "orchestrator.node.journal-probe-interval"),
        SettingRules.Duration(c, "orchestrator.node.journal-probe-timeout"));
}
