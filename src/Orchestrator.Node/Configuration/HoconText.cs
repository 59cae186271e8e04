namespace Orchestrator.Node.Configuration;

/// <summary>Writing values into HOCON text.</summary>
public static class HoconText
{
    /// <summary>A HOCON quoted string holding <paramref name="value"/> exactly.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
