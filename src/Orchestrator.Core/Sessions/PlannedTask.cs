using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Sessions;

/// <summary>One task of a session's plan, as persisted in <c>PlanAccepted</c>: a template node after variables, or a
/// task a planner proposed. Higher <see cref="Priority"/> runs first; <see cref="Retries"/> is the retry limit.</summary>
public sealed record PlannedTask(
    string Id,
    string AgentRole,
    string Prompt,
    IReadOnlyList<string> DependsOn,
    int Priority,
    TimeSpan Timeout,
    int Retries,
    string? OutputSchema,
    string? Phase,
    TimeSpan? EstimatedDuration)
{
    /// <summary>The task a template node plans.</summary>
    public static PlannedTask From(WorkflowNode node) => new(
        node.Id, node.AgentRole, node.Prompt, node.DependsOn, node.Priority,
        node.Timeout ?? WorkflowNode.DefaultTimeout, node.Retries, node.OutputSchema, node.Phase, node.EstimatedDuration);

    /// <summary>A prototype that planners expand; never dispatched itself.</summary>
    public bool IsPrototype => Phase == WorkflowPhases.PerTask;
}
