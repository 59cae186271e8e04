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

    /// <summary>A value of the right type outside its range, naming the key and its file.</summary>
    internal static ConfigurationException OutOfRange(NodeConfig c, string path, string expected, object value) =>
        new($"Configuration key '{path}' in {c.OriginOf(path)}: expected {expected}, got {value}.");

    internal static int Port(NodeConfig c, string path)
    {
        var port = c.Read(path, (x, p) => x.GetInt(p), "a port number 0-65535");
        return port is >= 0 and <= 65535
            ? port
            : throw OutOfRange(c, path, "a port number 0-65535", port);
    }

    /// <summary>A size of at least one byte, such as <c>256 KiB</c>.</summary>
    internal static long Size(NodeConfig c, string path)
    {
        var size = c.Read(path, (x, p) => x.GetByteSize(p) ?? 0, "a size such as 256 KiB");
        return size >= 1 ? size : throw OutOfRange(c, path, "a size such as 256 KiB", size);
    }

    internal static TimeSpan Duration(NodeConfig c, string path)
    {
        var value = c.Read(path, (x, p) => x.GetTimeSpan(p, null, allowInfinite: false), "a duration such as 5s or 100ms");
        return value > TimeSpan.Zero
            ? value
            : throw OutOfRange(c, path, "a positive duration", value);
    }
}
