using Akka.Configuration.Hocon;
using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;

namespace Orchestrator.Engine.Workflows;

/// <summary>Reads a template node's <c>council { ... }</c> and <c>chat { ... }</c> blocks (or <c>council = ROLE</c>,
/// naming the directory's council of that role). Members and participants are written as objects
/// <c>{ name = a, role = DEV, model = m }</c> or as role names (then named after the role, numbered when repeated).
/// Problems go to the field reader with their line; validation of the values is the resolver's.</summary>
internal static class DeliberationReader
{
    internal static readonly IReadOnlySet<string> CouncilKeys =
        new HashSet<string> { "role", "members", "rounds", "selector", "selector-role", "consensus", "rubric", "member-timeout" };
    internal static readonly IReadOnlySet<string> ChatKeys =
        new HashSet<string> { "participants", "speaker", "selector-role", "max-turns", "stop-phrase", "judge", "context", "member-timeout" };
    private static readonly IReadOnlySet<string> MemberKeys = new HashSet<string> { "name", "role", "model" };
    private static readonly IReadOnlySet<string> ContextKeys =
        new HashSet<string> { "max-chars", "summarize-above", "summarizer", "language", "keep-recent-turns" };

    internal static CouncilSpec? Council(FieldReader reader, HoconObject node, string nodePath)
    {
        if (!node.Items.TryGetValue("council", out var value) || value.IsEmpty) return null;
        var path = $"{nodePath}.council";
        if (value.IsString()) return new CouncilSpec([], Role: value.GetString());
        if (value.GetObject() is not { } c)
        {
            reader.Problem(path, "invalid-value", $"{path} must be an object {{ members = [...], rounds = ... }} or a role name");
            return null;
        }
        reader.UnknownKeys(c, path, CouncilKeys);
        var members = Members(reader, c, path, "members");
        return new CouncilSpec(
            members,
            reader.Int(c, path, "rounds") ?? 1,
            Enum(reader, c, path, "selector", CouncilSelectorKind.Rubric, ("rubric", CouncilSelectorKind.Rubric), ("agent", CouncilSelectorKind.Agent)),
            reader.String(c, path, "selector-role"),
            Enum(reader, c, path, "consensus", CouncilConsensus.AllApprove,
                ("all-approve", CouncilConsensus.AllApprove), ("same-answer", CouncilConsensus.SameAnswer), ("none", CouncilConsensus.None)),
            reader.String(c, path, "rubric"),
            members.Count == 0 ? reader.String(c, path, "role") : null,
            reader.Duration(c, path, "member-timeout"));
    }

    internal static GroupChatSpec? Chat(FieldReader reader, HoconObject node, string nodePath)
    {
        if (reader.Object(node, nodePath, "chat") is not { } c) return null;
        var path = $"{nodePath}.chat";
        reader.UnknownKeys(c, path, ChatKeys);
        ContextSettings? context = null;
        if (reader.Object(c, path, "context") is { } x)
        {
            var p = $"{path}.context";
            reader.UnknownKeys(x, p, ContextKeys);
            var d = ContextSettings.Default;
            context = new ContextSettings(reader.Int(x, p, "max-chars") ?? d.MaxChars, reader.Int(x, p, "summarize-above") ?? d.SummarizeAboveChars,
                reader.String(x, p, "summarizer"), reader.String(x, p, "language"), reader.Int(x, p, "keep-recent-turns") ?? d.KeepRecentTurns);
        }
        return new GroupChatSpec(
            Members(reader, c, path, "participants"),
            Enum(reader, c, path, "speaker", SpeakerSelection.RoundRobin, ("round-robin", SpeakerSelection.RoundRobin), ("selector", SpeakerSelection.Selector)),
            reader.String(c, path, "selector-role"),
            reader.Int(c, path, "max-turns") ?? 6,
            reader.String(c, path, "stop-phrase"),
            reader.String(c, path, "judge"),
            context,
            reader.Duration(c, path, "member-timeout"));
    }

    private static List<CouncilMember> Members(FieldReader reader, HoconObject obj, string path, string key)
    {
        var members = new List<CouncilMember>();
        if (!obj.Items.TryGetValue(key, out var value) || value.IsEmpty) return members;
        var at = $"{path}.{key}";
        if (!value.IsArray())
        {
            reader.Problem(at, "invalid-value", $"{at} must be a list of roles or of {{ name = ..., role = ..., model = ... }}");
            return members;
        }
        var items = value.GetArray();
        var roleCounts = items.Where(i => i.IsString()).GroupBy(i => i.GetString()).ToDictionary(g => g.Key, g => g.Count());
        var seen = new Dictionary<string, int>();
        foreach (var item in items)
        {
            if (item.IsString())
            {
                var role = item.GetString();
                seen[role] = seen.GetValueOrDefault(role) + 1;
                members.Add(new CouncilMember(roleCounts[role] > 1 ? $"{role}-{seen[role]}" : role, role));
            }
            else if (item.GetObject() is { } m)
            {
                reader.UnknownKeys(m, at, MemberKeys);
                var role = reader.String(m, at, "role") ?? "";
                members.Add(new CouncilMember(reader.String(m, at, "name") ?? role, role, reader.String(m, at, "model")));
            }
            else
            {
                reader.Problem(at, "invalid-value", $"{at} must be a list of roles or of {{ name = ..., role = ..., model = ... }}");
            }
        }
        return members;
    }

    private static T Enum<T>(FieldReader reader, HoconObject obj, string path, string key, T fallback, params (string Name, T Value)[] values)
    {
        if (reader.String(obj, path, key) is not { } text) return fallback;
        foreach (var (name, v) in values)
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return v;
        reader.Problem($"{path}.{key}", "invalid-value",
            $"{path}.{key} must be one of {string.Join(", ", values.Select(v => v.Name))}, not '{text}'");
        return fallback;
    }
}
