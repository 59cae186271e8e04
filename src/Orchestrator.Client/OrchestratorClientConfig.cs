using Akka.Configuration;

namespace Orchestrator.Client;

/// <summary>The HOCON an outside application's ActorSystem needs to exchange the message contracts with a node: the
/// JSON serializer bound to <see cref="Orchestrator.Messages.IClusterMessage"/> under the node's serializer id. Put it
/// under the application's own config (<c>config.WithFallback(OrchestratorClientConfig.Default)</c>).</summary>
public static class OrchestratorClientConfig
{
    /// <summary>The embedded <c>reference.conf</c> of this assembly.</summary>
    public static Config Default { get; } = Load();

    private static Config Load()
    {
        using var stream = typeof(OrchestratorClientConfig).Assembly.GetManifestResourceStream("Orchestrator.Client.reference.conf")
                           ?? throw new InvalidOperationException("Orchestrator.Client.reference.conf is not embedded.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
