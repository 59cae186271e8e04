using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Sessions;

/// <summary>One task of a session's plan, as persisted in <c>PlanAccepted</c>: a template node after variables, or a
/// task a planner proposed. Higher <see cref="Priority"/> runs first; <see cref="Retries"/> is the retry limit;
/// <see cref="Council"/> or <see cref="Chat"/> make it a council or group chat node.
/// <see cref="Resources"/> are its resource scopes, <see cref="Kind"/> its kind and <see cref="Capabilities"/> what its
/// agent must have (see <see cref="WorkflowNode"/>); <see cref="Human"/> makes it a question to a person.</summary>
public sealed record PlannedTask(
    TaskId Id,
    string AgentRole,
    string Prompt,
    IReadOnlyList<string> DependsOn,
    int Priority,
    TimeSpan Timeout,
    int Retries,
    string? OutputSchema,
    string? Phase,
    TimeSpan? EstimatedDuration,
    CouncilSpec? Council = null,
    GroupChatSpec? Chat = null,
    IReadOnlyList<string>? Resources = null,
    string? Kind = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? Capabilities = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    HumanInputSpec? Human = null)
{
    /// <summary>The task a template node plans.</summary>
    public static PlannedTask From(WorkflowNode node) => new(
        TaskId.Parse(node.Id), node.Human is null ? node.AgentRole : HumanInputSpec.Role, node.Prompt, node.DependsOn, node.Priority,
        node.Timeout ?? WorkflowNode.DefaultTimeout, node.Retries, node.OutputSchema, node.Phase, node.EstimatedDuration,
        node.Council, node.Chat,
        node.Resources is { Count: > 0 } r ? r : null, node.Kind, node.Capabilities, node.Human);

    /// <summary>The kind of task for learned performance and lessons: <see cref="Kind"/>, or the task's id.</summary>
    public string KindOrId => Kind ?? Id.Value;

    /// <summary>The tasks it depends on, as ids; <see cref="DependsOn"/> keeps their text, as its template and its view
    /// (<c>TaskView</c>) have it.</summary>
    public IEnumerable<TaskId> DependencyIds() => DependsOn.Select(TaskId.Parse);

    /// <summary>A prototype that planners expand; never dispatched itself.</summary>
    public bool IsPrototype => Phase == WorkflowPhases.PerTask;
}
