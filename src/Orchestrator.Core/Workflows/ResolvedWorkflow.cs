using Orchestrator.Core.Validation;
namespace Orchestrator.Core.Workflows;

/// <summary>A template after inheritance and variables: what a session runs and keeps in its events, so it keeps
/// this version even when the template changes later. Prompts still hold the run-time placeholders
/// (<c>{output.&lt;id&gt;}</c>, <c>{CRITIQUE}</c>, ...) and those of the session's inputs, which its events keep once,
/// beside the workflow, and a task's prompt gets when it runs; <see cref="Variables"/> are the defaults the prompts took
/// (in events written before 2026-12-06 the inputs too, already in the prompts); <see cref="Lineage"/> lists the chain,
/// the template first.</summary>
public sealed record ResolvedWorkflow(
    string Name,
    IReadOnlyList<string> Lineage,
    IReadOnlyList<WorkflowNode> Nodes,
    SessionSettings Settings,
    IReadOnlyDictionary<string, string> Variables);

/// <summary>The outcome of resolving a template: the workflow, or every problem found (then no workflow).</summary>
public sealed record TemplateResolution(ResolvedWorkflow? Workflow, IReadOnlyList<TemplateProblem> Problems)
{
    /// <summary>Resolved without a problem.</summary>
    public bool IsValid => Workflow is not null && Problems.Count == 0;
}
