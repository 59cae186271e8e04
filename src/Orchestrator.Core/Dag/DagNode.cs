namespace Orchestrator.Core.Dag;

/// <summary>A node of a dependency graph as the analysis sees it: an id, the ids it depends on, an estimated duration.</summary>
internal sealed record DagNode(string Id, IReadOnlyList<string> DependsOn, TimeSpan? EstimatedDuration = null);
