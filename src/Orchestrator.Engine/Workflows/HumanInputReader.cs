using Akka.Configuration.Hocon;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Engine.Workflows;

/// <summary>Reads a template node's <c>human { ask = "...", answer = approve | value, schema = "...", timeout = 10m,
/// on-timeout = approve | reject | &lt;default value&gt; }</c> block: the question (<c>ask</c>) becomes the node's prompt.
/// Problems go to the field reader with their line; validation of the values is the resolver's.</summary>
internal static class HumanInputReader
{
    internal static readonly IReadOnlySet<string> HumanKeys = new HashSet<string> { "ask", "answer", "schema", "timeout", "on-timeout" };

    /// <summary>The node's human spec and its question, or null when it has no <c>human</c> block.</summary>
    internal static (HumanInputSpec Spec, string Ask)? Read(FieldReader reader, HoconObject node, string nodePath)
    {
        if (reader.Object(node, nodePath, "human") is not { } h) return null;
        var path = $"{nodePath}.human";
        reader.UnknownKeys(h, path, HumanKeys);
        if (node.Items.ContainsKey("prompt"))
            reader.Problem($"{nodePath}.prompt", "invalid-human", $"{nodePath}: a human node's question is human.ask, not prompt");
        var answer = HumanAnswerKind.Approve;
        switch (reader.String(h, path, "answer"))
        {
            case null or "approve": break;
            case "value": answer = HumanAnswerKind.Value; break;
            case var other:
                reader.Problem($"{path}.answer", "invalid-value", $"{path}.answer must be approve or value, not '{other}'");
                break;
        }
        return (new HumanInputSpec(answer, reader.String(h, path, "schema"), reader.Duration(h, path, "timeout"), reader.String(h, path, "on-timeout")),
            reader.String(h, path, "ask") ?? "");
    }
}
