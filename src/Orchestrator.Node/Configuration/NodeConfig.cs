using Akka.Configuration;

namespace Orchestrator.Node.Configuration;

/// <summary>One source of configuration and what it holds.</summary>
public sealed record ConfigLayer(string Origin, Config Config);

/// <summary>The node's merged configuration, which remembers the layer each key came from so that an error names its file.</summary>
public sealed class NodeConfig
{
    internal NodeConfig(IReadOnlyList<ConfigLayer> layers)
    {
        Layers = layers;
        Config = layers.Select(l => l.Config).Aggregate(Config.Empty, (merged, layer) => merged.WithFallback(layer));
    }

    /// <summary>This configuration with <paramref name="hocon"/> as a layer just below the environment's.</summary>
    public NodeConfig WithLayer(string hocon, string origin)
    {
        var layers = Layers.ToList();
        layers.Insert(1, new ConfigLayer(origin, Akka.Configuration.ConfigurationFactory.ParseString(hocon)));
        return new NodeConfig(layers);
    }

    /// <summary>The layers, highest priority first.</summary>
    public IReadOnlyList<ConfigLayer> Layers { get; }

    /// <summary>The merged configuration (Akka's own defaults are added by the actor system).</summary>
    public Config Config { get; }

    /// <summary>The origin (file, environment or embedded reference) that sets <paramref name="path"/>.</summary>
    public string OriginOf(string path) =>
        Layers.FirstOrDefault(l => SafeHasPath(l.Config, path))?.Origin ?? "(not set anywhere)";

    /// <summary>Reads a value, turning a wrong type into an error that names the key and its file.</summary>
    public T Read<T>(string path, Func<Config, string, T> read, string expected)
    {
        try
        {
            if (!Config.HasPath(path))
                throw new ConfigurationException($"Configuration key '{path}' is missing; expected {expected}.");
            return read(Config, path);
        }
        catch (Exception e) when (e is not ConfigurationException)
        {
            throw new ConfigurationException(
                $"Configuration key '{path}' in {OriginOf(path)}: expected {expected}, got '{Raw(path)}'.", e);
        }
    }

    private string Raw(string path)
    {
        try { return Config.GetValue(path)?.ToString() ?? ""; }
        catch { return "?"; }
    }

    private static bool SafeHasPath(Config config, string path)
    {
        try { return config.HasPath(path); }
        catch { return false; }
    }
}
