using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Engine.Workflows;

/// <summary>Templates read from a folder, by name, and every problem found reading or resolving them (each with its
/// file and line). A template with problems is still listed when it could be read, so that its children resolve
/// and report their own problems.</summary>
public sealed record TemplateLibrary(IReadOnlyDictionary<string, WorkflowTemplate> Templates, IReadOnlyList<TemplateProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
