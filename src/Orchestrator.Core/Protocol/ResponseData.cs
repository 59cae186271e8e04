namespace Orchestrator.Core.Protocol;

/// <summary>The <c>data</c> of an <c>analysis</c> reply.</summary>
internal sealed record AnalysisData(string Summary, int? RecommendedSplits, IReadOnlyList<string> KeyFiles, string? EstimatedComplexity);

/// <summary>One task a planner proposes in a <c>task_list</c> reply; higher <see cref="Priority"/> runs first.</summary>
public sealed record ProposedTask(
    string Id, string Title, string? Description, IReadOnlyList<string> Scope, int Priority,
    IReadOnlyList<string> Dependencies, string? Role);

/// <summary>The <c>data</c> of a <c>task_list</c> reply.</summary>
public sealed record TaskListData(IReadOnlyList<ProposedTask> Tasks);

/// <summary>The <c>data</c> of a <c>progress</c> reply.</summary>
internal sealed record ProgressData(string TaskId, string Status, double? ProgressPercent, string? CurrentAction);

/// <summary>The <c>data</c> of a <c>completion</c> reply; <see cref="Status"/> is success, failed or partial.</summary>
internal sealed record CompletionData(string TaskId, string Status, string Summary, IReadOnlyList<string> OutputFiles, string? Error);

/// <summary>The <c>data</c> of an <c>aggregation</c> reply.</summary>
internal sealed record AggregationData(string Summary, string? Output, IReadOnlyList<string> Conflicts);
