namespace Orchestrator.Node.Configuration;

/// <summary>Where the node's traces and metrics go (<c>orchestrator.telemetry</c>), read and checked once at start: an
/// OTLP endpoint (none when null), the console, and the service name they are reported under.</summary>
public sealed record TelemetrySettings(Uri? OtlpEndpoint, bool Console, string ServiceName)
{
    private const string Section = "orchestrator.telemetry";

    /// <summary>Whether anything is exported: otherwise no OpenTelemetry provider is registered at all.</summary>
    public bool Exports => OtlpEndpoint is not null || Console;

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static TelemetrySettings From(NodeConfig c) => new(
        ReadEndpoint(c),
        SettingRules.Flag(c, $"{Section}.console"),
        ReadServiceName(c));

    /// <summary>An absolute http or https URL, or empty for none.</summary>
    private static Uri? ReadEndpoint(NodeConfig c)
    {
        const string key = $"{Section}.otlp-endpoint";
        const string expected = "an http:// or https:// URL such as http://127.0.0.1:4317, or \"\" for none";
        var text = SettingRules.Text(c, key, expected).Trim();
        if (text.Length == 0) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
               && uri.Host.Length > 0
            ? uri
            : throw SettingRules.OutOfRange(c, key, expected, $"'{text}'");
    }

    private static string ReadServiceName(NodeConfig c)
    {
        const string key = $"{Section}.service-name";
        var name = SettingRules.Text(c, key, "a service name").Trim();
        return name.Length > 0 ? name : throw SettingRules.OutOfRange(c, key, "a non-empty service name", "\"\"");
    }
}
