namespace Orchestrator.Node.Configuration;

/// <summary>Typed reads of one key with its range, each problem naming the key and the file that set it.</summary>
internal static class SettingRules
{
    internal static int AtLeast(NodeConfig c, string path, int min)
    {
        var value = c.Read(path, (x, p) => x.GetInt(p), $"a whole number of at least {min}");
        return value >= min ? value : throw OutOfRange(c, path, $"a whole number of at least {min}", value);
    }

    internal static double Between(NodeConfig c, string path, double min, double max, bool minExclusive = false)
    {
        var value = c.Read(path, (x, p) => x.GetDouble(p), $"a number from {min} to {max}");
        var ok = !double.IsNaN(value) && (minExclusive ? value > min : value >= min) && value <= max;
        return ok ? value : throw OutOfRange(c, path, $"a number {(minExclusive ? "above" : "from")} {min} to {max}", value);
    }

    internal static bool Flag(NodeConfig c, string path) => c.Read(path, (x, p) => x.GetBoolean(p), "on or off");

    internal static string Text(NodeConfig c, string path, string expected) => c.Read(path, (x, p) => x.GetString(p) ?? "", expected);

    private static ConfigurationException OutOfRange(NodeConfig c, string path, string expected, object value) =>
        new($"Configuration key '{path}' in {c.OriginOf(path)}: expected {expected}, got {value}.");
}
