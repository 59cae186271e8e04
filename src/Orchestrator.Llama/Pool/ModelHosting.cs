using Akka.Configuration;

using Orchestrator.Llama.Processes;

namespace Orchestrator.Llama.Pool;

/// <summary>Where a node's model pools run (<c>orchestrator.llm.hosting</c>): each in its own model host process
/// started with <see cref="Command"/>, or, without one, in the node's own process.</summary>
public sealed record ModelHosting(NodeChildCommand? Command, string Description)
{
    /// <summary>The key this is read from.</summary>
    public const string Key = "orchestrator.llm.hosting";

    /// <summary>Pools in the node's process, for the reason given.</summary>
    public static ModelHosting InProcess(string why) => new(null, $"in this process ({why})");

    /// <summary>Pools in model hosts run from <paramref name="nodeDll"/>.</summary>
    public static ModelHosting Processes(string nodeDll) =>
        new(NodeChildCommand.ForNode(nodeDll, "model-host"), "each in its own model host process");

    /// <summary>What <c>orchestrator.llm.hosting</c> of <paramref name="config"/> asks for: <c>process</c> runs the node's
    /// <paramref name="nodeDll"/> as each pool's host (in process when there is no such file to run, as in a single-file
    /// publish); <c>in-process</c> keeps the pools in the node. Any other value is an <see cref="ArgumentException"/>.</summary>
    public static ModelHosting FromConfig(Config config, string? nodeDll)
    {
        var value = config.WithFallback(LlamaConfig.Reference).GetString(Key, "process");
        return value switch
        {
            "process" when NodeChildCommand.CanRun(nodeDll) => Processes(nodeDll!),
            "process" => InProcess("there is no node file to run as a model host"),
            "in-process" => InProcess($"{Key} = in-process"),
            _ => throw new ArgumentException($"Configuration key '{Key}': expected process or in-process, got '{value}'."),
        };
    }
}
