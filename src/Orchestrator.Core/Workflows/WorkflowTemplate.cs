using Orchestrator.Core.Validation;
namespace Orchestrator.Core.Workflows;

/// <summary>A workflow template as written: nodes, session settings, variables and an optional parent it
/// <see cref="Extends"/>. A child's node replaces the parent's node of the same id; settings and variables are merged.
/// An <see cref="Abstract"/> template only exists to be extended: it may have no nodes, and no session starts from it.</summary>
public sealed record WorkflowTemplate(
    string Name,
    IReadOnlyList<WorkflowNode> Nodes,
    SessionSettingsSpec Settings,
    IReadOnlyList<WorkflowVariable> Variables,
    string? Extends = null,
    string? Description = null,
    SourceLocation? Source = null,
    bool Abstract = false);
