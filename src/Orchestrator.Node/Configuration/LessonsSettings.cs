namespace Orchestrator.Node.Configuration;

/// <summary>What the lesson store keeps and how tasks use it (<c>orchestrator.lessons</c>), read and checked once at
/// start.</summary>
public sealed record LessonsSettings(
    int MinFailures, bool FromCritiques, int MinTextChars, int ExcerptChars, int MaxLessons, double MinRelevance,
    int Inject, TimeSpan AskTimeout, int SnapshotEvery)
{
    private const string Section = "orchestrator.lessons";

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static LessonsSettings From(NodeConfig c) => new(
        SettingRules.AtLeast(c, $"{Section}.min-failures", 1),
        SettingRules.Flag(c, $"{Section}.from-critiques"),
        SettingRules.AtLeast(c, $"{Section}.min-text-chars", 0),
        SettingRules.AtLeast(c, $"{Section}.excerpt-chars", 1),
        SettingRules.AtLeast(c, $"{Section}.max-lessons", 1),
        SettingRules.Between(c, $"{Section}.min-relevance", 0, 1_000_000),
        SettingRules.AtLeast(c, $"{Section}.inject", 0),
        SettingRules.Duration(c, $"{Section}.ask-timeout"),
        SettingRules.AtLeast(c, $"{Section}.snapshot-every", 1));
}
