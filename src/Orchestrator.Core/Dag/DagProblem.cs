namespace Orchestrator.Core.Dag;

/// <summary>What kind of thing is wrong with a graph.</summary>
internal enum DagProblemKind
{
    /// <summary>Two nodes share an id.</summary>
    DuplicateNode,
    /// <summary>A node depends on an id no node has.</summary>
    UnknownDependency,
    /// <summary>Nodes depend on each other in a circle; <see cref="DagProblem.Path"/> names it.</summary>
    Cycle,
}

/// <summary>One problem of a graph: for a cycle, <see cref="Path"/> runs along "depends on" edges and ends where it
/// starts (<c>a → b → c → a</c>); for an unknown dependency, <see cref="Path"/> is the node and the missing id.</summary>
internal sealed record DagProblem(DagProblemKind Kind, string NodeId, IReadOnlyList<string> Path, string Message);
