using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Workflows;

/// <summary>One agent task of a workflow template. <see cref="Prompt"/> may hold <c>{VARIABLE}</c> placeholders and
/// <c>{output.&lt;node-id&gt;}</c> for the output of a dependency. Higher <see cref="Priority"/> runs first;
/// <see cref="Retries"/> is how many times a failed attempt may be retried. A node with a <see cref="Council"/> is
/// answered by a council's deliberation, one with a <see cref="Chat"/> by a group chat, instead of one agent.
/// <see cref="Resources"/> are the scopes it touches (<c>file:src/a.cs</c>, <c>key:orders</c>): tasks with overlapping scopes never run at once. <see cref="Kind"/>
/// names the kind of task for learned performance and lessons (the node's id when absent). <see cref="Capabilities"/>
/// are what the agent that runs it must have (with its role); none: any agent of the role, or the role's default model.
/// A node with <see cref="Human"/> waits for a person's answer to its prompt instead; it has no role.</summary>
public sealed record WorkflowNode(
    string Id,
    string AgentRole,
    string Prompt,
    IReadOnlyList<string> DependsOn,
    int Priority = 0,
    TimeSpan? Timeout = null,
    int Retries = 0,
    string? OutputSchema = null,
    string? Phase = null,
    TimeSpan? EstimatedDuration = null,
    SourceLocation? Source = null,
    CouncilSpec? Council = null,
    GroupChatSpec? Chat = null,
    IReadOnlyList<string>? Resources = null,
    string? Kind = null,
    IReadOnlyList<string>? Capabilities = null,
    HumanInputSpec? Human = null)
{
    /// <summary>The deadline of one attempt when the template gives none.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(5);
}
