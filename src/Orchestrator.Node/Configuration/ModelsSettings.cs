using System.Text.RegularExpressions;
using Orchestrator.Llama.Endpoints;
using Orchestrator.Llama.Pool;

namespace Orchestrator.Node.Configuration;

/// <summary>Where a node's model pools run (<c>orchestrator.llm.hosting</c>).</summary>
public enum ModelHostingMode
{
    /// <summary>Each pool in its own model host process.</summary>
    Process,

    /// <summary>Every pool in the node's process.</summary>
    InProcess,
}

/// <summary>The models a node serves and how (<c>orchestrator.llm</c>): each model's pool over
/// <c>model-defaults</c>, where pools run, the first-load probe, and how often their load is shared with the cluster
/// (<c>routing.load-interval</c>); read and checked once at start, every problem
/// naming the key and the file that set it.</summary>
public sealed partial record ModelsSettings(
    IReadOnlyList<PoolSettings> Models,
    ModelHostingMode Hosting,
    bool ProbeNewModels,
    string ProbeCachePath,
    TimeSpan ProbeTimeout,
    TimeSpan LoadInterval,
    IReadOnlyList<EndpointSettings> Endpoints)
{
    private const string Section = "orchestrator.llm";

    /// <summary>Every model this node serves, local pools and endpoints, with how many requests it runs at once (a
    /// pool's sequences, an endpoint's <c>max-concurrent</c>).</summary>
    public IReadOnlyDictionary<string, int> Served =>
        Models.Select(m => (m.Name, m.Sequences)).Concat(Endpoints.Select(e => (e.Name, e.MaxConcurrent)))
            .ToDictionary(m => m.Name, m => m.Item2, StringComparer.Ordinal);

    /// <summary>Reads and checks every key; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static ModelsSettings From(NodeConfig c)
    {
        var hostingKey = $"{Section}.hosting";
        var hosting = SettingRules.Text(c, hostingKey, "process or in-process") switch
        {
            "process" => ModelHostingMode.Process,
            "in-process" => ModelHostingMode.InProcess,
            var other => throw SettingRules.OutOfRange(c, hostingKey, "process or in-process", $"'{other}'"),
        };
        var native = SettingRules.Text(c, $"{Section}.native-path", "a folder");
        var models = c.Config.GetConfig($"{Section}.models") is { IsEmpty: false } m
            ? m.Root.GetObject().Items.Keys.Order(StringComparer.Ordinal).Select(name => Model(c, name, native)).ToList()
            : [];
        return new ModelsSettings(models, hosting,
            SettingRules.Flag(c, $"{Section}.probe.new-models"),
            SettingRules.Text(c, $"{Section}.probe.cache-path", "a folder"),
            SettingRules.Duration(c, $"{Section}.probe.timeout"),
            SettingRules.Duration(c, $"{Section}.routing.load-interval"),
            ReadEndpoints(c, models));
    }

    /// <summary><c>orchestrator.llm.endpoints</c>: models served by OpenAI-compatible endpoints elsewhere.</summary>
    private static List<EndpointSettings> ReadEndpoints(NodeConfig c, List<PoolSettings> models)
    {
        if (c.Config.GetConfig($"{Section}.endpoints") is not { IsEmpty: false } section) return [];
        return section.Root.GetObject().Items.Keys.Order(StringComparer.Ordinal).Select(name =>
        {
            var key = $"{Section}.endpoints.{name}";
            if (!ModelName().IsMatch(name))
                throw SettingRules.OutOfRange(c, $"{Section}.endpoints", "model names of letters, digits, '-' and '_' (at most 64)", $"'{name}'");
            if (models.Any(m => m.Name == name))
                throw new ConfigurationException($"Configuration key '{key}' in {c.OriginOf(key)}: model '{name}' is also a local model " +
                                                 $"({Section}.models.{name}); a name serves one model.");
            var url = SettingRules.Text(c, $"{key}.url", "the http(s) address of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw SettingRules.OutOfRange(c, $"{key}.url", "the http(s) address of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1", $"'{url}'");
            var variable = c.Config.HasPath($"{key}.api-key-env") ? SettingRules.Text(c, $"{key}.api-key-env", "an environment variable's name") : "";
            if (variable.Length > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
                throw new ConfigurationException($"Configuration key '{key}.api-key-env' in {c.OriginOf(key)} names the environment variable " +
                                                 $"'{variable}', which is not set: set it to the endpoint's key, or remove the key for an endpoint without one.");
            var remote = c.Config.HasPath($"{key}.model") ? SettingRules.Text(c, $"{key}.model", "the model's name at the endpoint") : name;
            var endpoint = new EndpointSettings(name, uri, remote, variable,
                c.Config.HasPath($"{key}.max-concurrent") ? SettingRules.AtLeast(c, $"{key}.max-concurrent", 1) : 8,
                c.Config.HasPath($"{key}.queue-size") ? SettingRules.AtLeast(c, $"{key}.queue-size", 0) : 64);
            try
            {
                return endpoint.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException($"Configuration key '{key}' in {c.OriginOf(key)}: {e.Message}");
            }
        }).ToList();
    }

    private static PoolSettings Model(NodeConfig c, string name, string native)
    {
        if (!ModelName().IsMatch(name))
            throw SettingRules.OutOfRange(c, $"{Section}.models", "model names of letters, digits, '-' and '_' (at most 64)", $"'{name}'");
        var key = $"{Section}.models.{name}";
        if (!c.Config.HasPath($"{key}.path"))
            throw new ConfigurationException($"Configuration key '{key}.path' is missing: model '{name}' in {c.OriginOf(key)} needs the path of a GGUF file.");
        string Key(string setting) => c.Config.HasPath($"{key}.{setting}") ? $"{key}.{setting}" : $"{Section}.model-defaults.{setting}";
        var path = SettingRules.Text(c, $"{key}.path", "the path of a GGUF file");
        if (string.IsNullOrWhiteSpace(path)) throw SettingRules.OutOfRange(c, $"{key}.path", "the path of a GGUF file", "''");
        var pool = new PoolSettings(name, path,
            SettingRules.AtLeast(c, Key("context-size"), 16),
            SettingRules.AtLeast(c, Key("sequences"), 1),
            SettingRules.AtLeast(c, Key("threads"), 0),
            SettingRules.AtLeast(c, Key("batch-size"), 1),
            SettingRules.AtLeast(c, Key("prefill-chunk"), 1),
            SettingRules.AtLeast(c, Key("gpu-layers"), 0),
            SettingRules.AtLeast(c, Key("queue-size"), 0),
            SettingRules.Flag(c, Key("kv-unified")),
            native);
        try
        {
            return pool.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"Configuration key '{key}' in {c.OriginOf(key)}: {e.Message}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ModelName();
}
