using System.Text.Json;

namespace Orchestrator.Llama.Pool;

/// <summary>What a model host serves, sent by the node as the first line of the host's standard input (JSON): the
/// pool's settings and, when new model files are probed, where verdicts are cached and how long a probe may take.
/// The node keeps the host's standard input open; its end (the node stopped or died) ends the host.</summary>
public sealed record ModelHostStart(PoolSettings Pool, string? ProbeCache, TimeSpan ProbeTimeout)
{
    /// <summary>The line the host writes to standard output once it listens, followed by its model actor's path.</summary>
    public const string ReadyPrefix = "model-host ready ";

    /// <summary>The name of the host's model actor (<c>/user/models</c>).</summary>
    public const string ActorName = ModelManagerExtensions.ActorName;

    /// <summary>This start as one line of JSON.</summary>
    public string ToLine() => JsonSerializer.Serialize(this);

    /// <summary>Reads a start line; a line that is not one is an <see cref="ArgumentException"/>.</summary>
    public static ModelHostStart Parse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) throw new ArgumentException("the model host was given no start line on its standard input.");
        try
        {
            return JsonSerializer.Deserialize<ModelHostStart>(line) is { Pool: not null } start
                ? start with { Pool = start.Pool.Validate() }
                : throw new ArgumentException("the model host's start line names no pool.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the model host's start line is not valid: {e.Message}", e);
        }
    }
}
