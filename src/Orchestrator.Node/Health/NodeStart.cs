using System.Diagnostics;

namespace Orchestrator.Node.Health;

/// <summary>When the node's own code began: readiness is measured from here, not from the process's start time, which
/// under <c>exec</c> (as <c>./build.sh</c> starts the node) is that of the shell and includes the build.</summary>
public sealed class NodeStart
{
    private readonly long _timestamp;

    private NodeStart(long timestamp) => _timestamp = timestamp;

    /// <summary>The node starts now; call it first thing in <c>Main</c>.</summary>
    public static NodeStart Now() => new(Stopwatch.GetTimestamp());

    /// <summary>Time since the node started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_timestamp);
}
