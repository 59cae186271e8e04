using Orchestrator.Core.Validation;
namespace Orchestrator.Core.Workflows;

/// <summary>A variable a template's prompts use: its default, or <see cref="Required"/> when the session must give it.</summary>
public sealed record WorkflowVariable(
    string Name,
    string? Default = null,
    bool Required = false,
    string? Description = null,
    SourceLocation? Source = null);
