using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>One service of a compose file, as the checks of <see cref="ComposeClusterCheck"/> need it.</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    bool Built,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string> Volumes,
    string? HealthCheck,
    IReadOnlyDictionary<string, string> DependsOn);

/// <summary>A docker-compose.yml read with YamlDotNet, every scalar interpolated as <c>docker compose</c> does
/// (<c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR:?message}</c>, <c>$$</c>) from the given variables.</summary>
internal sealed partial record ComposeFile(IReadOnlyList<ComposeService> Services, IReadOnlyList<string> NamedVolumes)
{
    public ComposeService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    public static ComposeFile Parse(string yaml, Func<string, string?> variables)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        string Text(YamlNode node) => Interpolate(((YamlScalarNode)node).Value ?? "", variables);

        var services = new List<ComposeService>();
        foreach (var (key, value) in (YamlMappingNode)root["services"])
        {
            var service = (YamlMappingNode)value;
            YamlNode? Get(string name) => service.Children.TryGetValue(new YamlScalarNode(name), out var n) ? n : null;
            services.Add(new ComposeService(
                Text(key),
                Get("image") is { } image ? Text(image) : null,
                Get("build") is not null,
                Get("environment") switch
                {
                    YamlMappingNode map => map.ToDictionary(e => Text(e.Key), e => Text(e.Value)),
                    YamlSequenceNode list => list.Select(Text).Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
                    _ => new Dictionary<string, string>(),
                },
                Get("command") switch
                {
                    YamlSequenceNode list => list.Select(Text).ToArray(),
                    YamlScalarNode line => Text(line).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    _ => [],
                },
                Get("ports") is YamlSequenceNode ports ? ports.Select(Text).ToArray() : [],
                Get("volumes") is YamlSequenceNode volumes ? volumes.Select(Text).ToArray() : [],
                Get("healthcheck") is YamlMappingNode health && health.Children.TryGetValue(new YamlScalarNode("test"), out var test)
                    ? test is YamlSequenceNode parts ? string.Join(' ', parts.Select(Text)) : Text(test)
                    : null,
                Get("depends_on") switch
                {
                    YamlMappingNode map => map.ToDictionary(
                        e => Text(e.Key),
                        e => e.Value is YamlMappingNode d && d.Children.TryGetValue(new YamlScalarNode("condition"), out var c) ? Text(c) : "service_started"),
                    YamlSequenceNode list => list.Select(Text).ToDictionary(n => n, _ => "service_started"),
                    _ => new Dictionary<string, string>(),
                }));
        }
        var named = root.Children.TryGetValue(new YamlScalarNode("volumes"), out var v) && v is YamlMappingNode top
            ? top.Children.Keys.Select(Text).ToArray()
            : [];
        return new ComposeFile(services, named);
    }

    /// <summary>Compose's interpolation: a required variable that is unset fails, as <c>docker compose</c> does.</summary>
    public static string Interpolate(string text, Func<string, string?> variables) =>
        Variable().Replace(text, m =>
        {
            if (m.Value == "$$")
                return "$";
            var value = variables(m.Groups["name"].Value);
            return m.Groups["op"].Value switch
            {
                ":-" => string.IsNullOrEmpty(value) ? m.Groups["arg"].Value : value,
                "-" => value ?? m.Groups["arg"].Value,
                ":?" or "?" when string.IsNullOrEmpty(value) => throw new InvalidOperationException(
                    $"Compose variable {m.Groups["name"].Value} is required: {m.Groups["arg"].Value}"),
                _ => value ?? "",
            };
        });

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();
}

/// <summary>The final stage of a Dockerfile: its EXPOSE ports, ENV variables, files copied from the build context
/// (container path to context path) and its start command.</summary>
internal sealed record DockerfileImage(
    IReadOnlyList<int> Exposed,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<(string Source, string Target)> Copies,
    IReadOnlyList<string> Command)
{
    public static DockerfileImage Parse(string text)
    {
        var instructions = text.Replace("\\\r\n", " ").Replace("\\\n", " ").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (Verb: l.Split(' ', 2)[0].ToUpperInvariant(), Args: l.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? ""))
            .ToList();
        var finalStage = instructions.FindLastIndex(i => i.Verb == "FROM");
        var exposed = new List<int>();
        var environment = new Dictionary<string, string>();
        var copies = new List<(string, string)>();
        var command = new List<string>();
        var entrypoint = new List<string>();
        var workdir = "/";
        foreach (var (verb, args) in instructions.Skip(finalStage + 1))
        {
            switch (verb)
            {
                case "WORKDIR":
                    workdir = args.StartsWith('/') ? args : $"{workdir.TrimEnd('/')}/{args}";
                    break;
                case "EXPOSE":
                    exposed.AddRange(args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0])));
                    break;
                case "ENV":
                    foreach (var pair in args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2))
                        environment[pair[0]] = pair[1].Trim('"');
                    break;
                case "COPY" when !args.StartsWith("--from", StringComparison.Ordinal):
                    var paths = args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                    var target = paths[^1].StartsWith('/') ? paths[^1] : $"{workdir.TrimEnd('/')}/{paths[^1]}";
                    copies.AddRange(paths[..^1].Select(source => (source, target)));
                    break;
                case "ENTRYPOINT":
                    entrypoint = ExecForm(args);
                    break;
                case "CMD":
                    command = ExecForm(args);
                    break;
            }
        }
        return new DockerfileImage(exposed, environment, copies, [.. entrypoint, .. command]);
    }

    /// <summary>The file or folder of the build context that <paramref name="containerPath"/> was copied from, or null.</summary>
    public string? SourceOf(string containerPath)
    {
        foreach (var (source, target) in Copies)
        {
            if (target.EndsWith('/') && source.EndsWith('/') && containerPath.StartsWith(target, StringComparison.Ordinal))
                return source + containerPath[target.Length..];
            if (containerPath.TrimEnd('/') == target.TrimEnd('/'))
                return source;
        }
        return null;
    }

    private static List<string> ExecForm(string args) =>
        args.StartsWith('[')
            ? Regex.Matches(args, "\"((?:[^\"\\\\]|\\\\.)*)\"").Select(m => m.Groups[1].Value).ToList()
            : ["/bin/sh", "-c", args];
}
