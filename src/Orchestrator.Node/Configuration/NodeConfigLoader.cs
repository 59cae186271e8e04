using System.Reflection;
using Akka.Configuration;

namespace Orchestrator.Node.Configuration;

/// <summary>Layers the node's HOCON: environment overrides (<c>ORCH_*</c>) over the node file
/// (<c>hocon/node.conf</c> or <c>--config FILE</c>) over the embedded <c>reference.conf</c> of each project.</summary>
public static class NodeConfigLoader
{
    /// <summary>The embedded defaults, most specific first.</summary>
    private static readonly (Assembly Assembly, string Resource)[] References =
    [
        (typeof(NodeConfigLoader).Assembly, "Orchestrator.Node.reference.conf"),
        (typeof(Orchestrator.Engine.Serialization.OrchestratorJsonSerializer).Assembly, "Orchestrator.Engine.reference.conf"),
        (typeof(Orchestrator.Llama.Pool.ModelManager).Assembly, "Orchestrator.Llama.reference.conf"),
    ];

    /// <summary>Loads the configuration of a node from <paramref name="file"/> (null: defaults only), with overrides from
    /// <paramref name="environment"/> (default: the process environment).</summary>
    public static NodeConfig Load(string? file, Func<string, string?>? environment = null)
    {
        var layers = new List<ConfigLayer> { new("environment (ORCH_*)", EnvironmentOverrides(environment ?? Environment.GetEnvironmentVariable)) };
        if (file is not null)
            layers.Add(new ConfigLayer(Path.GetFullPath(file), ParseFile(file)));
        layers.AddRange(References.Select(r => new ConfigLayer($"reference.conf of {r.Assembly.GetName().Name}", ReadResource(r.Assembly, r.Resource))));
        return new NodeConfig(layers);
    }

    /// <summary>Loads a node configuration from HOCON text (tests, embedding applications).</summary>
    public static NodeConfig FromText(string hocon, string origin = "inline configuration")
    {
        var loaded = Load(null);
        var layers = loaded.Layers.ToList();
        layers.Insert(1, new ConfigLayer(origin, Parse(hocon, origin)));
        return new NodeConfig(layers);
    }

    /// <summary>The keys of <c>environment.conf</c> (<c>key = ${?ORCH_VARIABLE}</c>) whose variable is set, with its
    /// value (a list key, written <c>key = [${?ORCH_VARIABLE}]</c>, takes a comma-separated value). Unset variables are left out rather than resolved: Akka's HOCON would keep them as null values, which
    /// hide the files below.</summary>
    private static Config EnvironmentOverrides(Func<string, string?> environment)
    {
        var text = ReadResourceText(typeof(NodeConfigLoader).Assembly, "Orchestrator.Node.environment.conf");
        var overrides =
            from line in text.Split('\n').Select(l => l.Trim())
            where line.Length > 0 && !line.StartsWith('#')
            let key = line[..line.IndexOf('=')].Trim()
            let variable = line[(line.IndexOf("${?", StringComparison.Ordinal) + 3)..line.LastIndexOf('}')]
            let value = environment(variable)
            where !string.IsNullOrEmpty(value)
            let isList = line[(line.IndexOf('=') + 1)..].TrimStart().StartsWith('[')
            select $"{key} = {(isList ? ListOf(value) : HoconText.Quote(value))}";
        return Parse(string.Join('\n', overrides), "environment (ORCH_*)");
    }

    private static string ListOf(string commaSeparated) =>
        "[" + string.Join(", ", commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HoconText.Quote)) + "]";

    private static Config ParseFile(string file)
    {
        if (!File.Exists(file))
            throw new ConfigurationException($"Configuration file '{Path.GetFullPath(file)}' does not exist (given by --config).");
        return Parse(File.ReadAllText(file), Path.GetFullPath(file));
    }

    private static Config Parse(string text, string origin)
    {
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not ConfigurationException)
        {
            throw new ConfigurationException($"{origin}: not valid HOCON: {e.Message}", e);
        }
    }

    private static Config ReadResource(Assembly assembly, string name) => Parse(ReadResourceText(assembly, name), name);

    private static string ReadResourceText(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
