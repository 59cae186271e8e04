using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Workflows;

namespace Orchestrator.Node.Configuration;

/// <summary>How a node runs sessions (<c>orchestrator.sessions</c>), read and checked once at start: where the
/// templates are, the node's tasks in flight, snapshots, reply length, how long a finished session stays up, the seed
/// that makes sampling reproducible (none: random), which model serves each agent role, how large a template may be, and
/// after how many interrupted attempts in a row a task is given up, and how large a session's inputs may be together.</summary>
public sealed record SessionsSettings(
    string TemplatesPath,
    int MaxTasksInFlight,
    int SnapshotEvery,
    int MaxTokens,
    TimeSpan FinishedIdle,
    uint? Seed,
    IReadOnlyDictionary<string, string>? ModelsByRole,
    long MaxTemplateBytes,
    int MaxInterruptedAttempts,
    long MaxInputBytes)
{
    private const string Section = "orchestrator.sessions";

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static SessionsSettings From(NodeConfig c) => new(
        SettingRules.Text(c, $"{Section}.templates-path", "a directory of workflow templates"),
        SettingRules.AtLeast(c, $"{Section}.max-tasks-in-flight", 1),
        SettingRules.AtLeast(c, $"{Section}.snapshot-every", 1),
        SettingRules.AtLeast(c, $"{Section}.max-tokens", 1),
        SettingRules.Duration(c, $"{Section}.finished-idle"),
        SeedOf(c),
        ModelsByRoleOf(c),
        SettingRules.Size(c, $"{Section}.max-template-size"),
        SettingRules.AtLeast(c, $"{Section}.max-interrupted-attempts", 1),
        SettingRules.Size(c, SessionInputLimit.Key));

    /// <summary>What every template, from the folder or sent to <c>/api/templates/validate</c>, may cost to read.</summary>
    public TemplateTextLimits TemplateLimits => TemplateTextLimits.Default with { MaxBytes = MaxTemplateBytes };

    private static uint? SeedOf(NodeConfig c)
    {
        const string path = $"{Section}.seed";
        if (!c.Config.HasPath(path)) return null;
        var seed = c.Read(path, (x, p) => x.GetLong(p), "a seed 0-4294967295");
        return seed is >= 0 and <= uint.MaxValue
            ? (uint)seed
            : throw SettingRules.OutOfRange(c, path, "a seed 0-4294967295", seed);
    }

    private static Dictionary<string, string>? ModelsByRoleOf(NodeConfig c)
    {
        const string path = $"{Section}.models-by-role";
        var roles = c.Read(path, (x, p) => x.GetConfig(p), "an object of role = model");
        if (roles is null || roles.IsEmpty) return null;
        return roles.AsEnumerable().ToDictionary(
            kv => kv.Key,
            kv => c.Read($"{path}.{kv.Key}", (x, p) => x.GetString(p), "a model name"),
            StringComparer.Ordinal);
    }
}
