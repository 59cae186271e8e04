using Akka.Configuration;

namespace Orchestrator.Llama;

/// <summary>The project's embedded <c>reference.conf</c> (keys under <c>orchestrator.llm</c>).</summary>
public static class LlamaConfig
{
    /// <summary>The defaults, parsed once.</summary>
    public static Config Reference { get; } = Load();

    private static Config Load()
    {
        using var stream = typeof(LlamaConfig).Assembly.GetManifestResourceStream("Orchestrator.Llama.reference.conf")
                           ?? throw new InvalidOperationException("Orchestrator.Llama.reference.conf is not embedded.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
