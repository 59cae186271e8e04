
using Orchestrator.Llama.Processes;

namespace Orchestrator.Llama.Pool;

/// <summary>Where a node's model pools run (<c>orchestrator.llm.hosting</c>): each in its own model host process
/// started with <see cref="Command"/>, or, without one, in the node's own process; <see cref="Description"/> says which
/// and why, for the log.</summary>
public sealed record ModelHosting(NodeChildCommand? Command, string Description)
{
    /// <summary>Pools in the node's process, for the reason given.</summary>
    public static ModelHosting InProcess(string why) => new(null, $"in this process ({why})");

    /// <summary>Pools in model hosts run from <paramref name="nodeDll"/>.</summary>
    public static ModelHosting Processes(string nodeDll) =>
        new(NodeChildCommand.ForNode(nodeDll, "model-host"), "each in its own model host process");

    /// <summary>Pools in model hosts run from <paramref name="nodeDll"/> when <paramref name="processes"/> and there is
    /// such a file to run (not in a single-file publish); else in the node's process.</summary>
    public static ModelHosting Choose(bool processes, string? nodeDll) =>
        !processes ? InProcess("orchestrator.llm.hosting = in-process")
        : NodeChildCommand.CanRun(nodeDll) ? Processes(nodeDll!)
        : InProcess("there is no node file to run as a model host");
}
