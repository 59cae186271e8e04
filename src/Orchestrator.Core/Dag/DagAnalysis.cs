namespace Orchestrator.Core.Dag;

/// <summary>What <see cref="DagAnalyzer"/> found: every problem, and for the acyclic part a topological order,
/// the parallel groups (level 0 has no dependencies; level n depends on something at level n-1) and the critical
/// path, the chain of dependencies whose durations add up to the longest total.</summary>
internal sealed record DagAnalysis(
    IReadOnlyList<DagProblem> Problems,
    IReadOnlyList<string> TopologicalOrder,
    IReadOnlyList<IReadOnlyList<string>> Levels,
    IReadOnlyList<string> CriticalPath,
    TimeSpan CriticalPathDuration)
{
    /// <summary>No duplicate, unknown dependency or cycle.</summary>
    public bool IsValid => Problems.Count == 0;
}
