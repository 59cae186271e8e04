using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Orchestrator.Node.Api;

/// <summary>The node's resolved configuration as a JSON tree with secrets replaced by <c>&lt;redacted&gt;</c>: values of
/// keys naming a token, password, secret or key as one of their words (<c>token</c>, <c>api-key-env</c>; not
/// <c>max-tokens</c>), and the password inside connection strings.</summary>
public static partial class RedactedConfig
{
    private const string Redacted = "<redacted>";

    /// <summary>The section at <paramref name="path"/> (<c>orchestrator</c>, <c>akka.cluster</c>, ...), or null when the
    /// configuration has no such section.</summary>
    public static JsonNode? Render(Config config, string path)
    {
        if (!SectionPath().IsMatch(path) || !config.HasPath(path))
            return null;
        return Node(path[(path.LastIndexOf('.') + 1)..], config.GetValue(path));
    }

    private static JsonNode? Node(string key, HoconValue value)
    {
        if (value.IsObject())
        {
            var result = new JsonObject();
            foreach (var (childKey, child) in value.GetObject().Items.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                result[childKey] = Node(childKey, child);
            return result;
        }
        if (value.IsArray())
            return new JsonArray(value.GetArray().Select(v => Node(key, v)).ToArray());
        var text = value.IsEmpty ? "" : value.GetString();
        if (SecretKey().IsMatch(key) && !string.IsNullOrEmpty(text))
            return Redacted;
        return text is null ? null : PasswordInConnectionString().Replace(text, "${key}=" + Redacted);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$")]
    private static partial Regex SectionPath();

    [GeneratedRegex(@"(^|-)(token|password|secret|api-key|private-key)(-|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"(?<key>Password|Pwd)\s*=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInConnectionString();
}
