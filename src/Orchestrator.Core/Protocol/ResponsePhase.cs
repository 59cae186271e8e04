namespace Orchestrator.Core.Protocol;

/// <summary>The phase a protocol reply belongs to, written in the reply's <c>phase</c> field in snake case.</summary>
public enum ResponsePhase
{
    /// <summary><c>analysis</c>: a planner's study of the job before it proposes tasks.</summary>
    Analysis,
    /// <summary><c>task_list</c>: a planner's proposed tasks with priorities and dependencies.</summary>
    TaskList,
    /// <summary><c>progress</c>: a worker's report while it runs.</summary>
    Progress,
    /// <summary><c>completion</c>: a worker's final report.</summary>
    Completion,
    /// <summary><c>aggregation</c>: the combination of the workers' results.</summary>
    Aggregation,
}

/// <summary>The wire names of <see cref="ResponsePhase"/>.</summary>
internal static class ResponsePhases
{
    internal static readonly IReadOnlyDictionary<string, ResponsePhase> ByName = new Dictionary<string, ResponsePhase>(StringComparer.Ordinal)
    {
        ["analysis"] = ResponsePhase.Analysis,
        ["task_list"] = ResponsePhase.TaskList,
        ["progress"] = ResponsePhase.Progress,
        ["completion"] = ResponsePhase.Completion,
        ["aggregation"] = ResponsePhase.Aggregation,
    };

    internal static string Name(ResponsePhase phase) => phase switch
    {
        ResponsePhase.Analysis => "analysis",
        ResponsePhase.TaskList => "task_list",
        ResponsePhase.Progress => "progress",
        ResponsePhase.Completion => "completion",
        ResponsePhase.Aggregation => "aggregation",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not a protocol phase"),
    };
}
