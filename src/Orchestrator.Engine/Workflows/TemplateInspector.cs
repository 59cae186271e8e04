using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Engine.Workflows;

/// <summary>A template as the node would run it (inheritance resolved, variables declared along the chain) and the
/// check of a template's HOCON text sent by a client: read with the same loader as the files, resolved against the
/// node's library, every problem with its line. Text from a client never reaches the file system or the environment:
/// it has no file, and a <c>${substitution}</c> in it is refused before Akka's parser could read an environment variable.</summary>
public static class TemplateInspector
{
    /// <summary>The name given to text from a client in its problems' locations.</summary>
    public const string RequestFile = "request";

    /// <summary>A resolved template and the variables its chain declares.</summary>
    public sealed record TemplateView(
        WorkflowTemplate Template, ResolvedWorkflow Workflow, IReadOnlyList<WorkflowVariable> Variables);

    /// <summary>The template named <paramref name="name"/> resolved without inputs, or its problems; null when the
    /// library has no such template.</summary>
    public static (TemplateView? View, IReadOnlyList<TemplateProblem> Problems)? Show(TemplateLibrary library, string name)
    {
        if (!library.Templates.TryGetValue(name, out var template)) return null;
        var resolution = TemplateResolver.Resolve(name, library.Templates, null);
        if (resolution.Workflow is not { } workflow) return (null, resolution.Problems);
        var variables = new Dictionary<string, WorkflowVariable>(StringComparer.Ordinal);
        foreach (var link in workflow.Lineage.Reverse())
            foreach (var v in library.Templates[link].Variables)
                variables[v.Name] = v;
        return (new TemplateView(template, workflow, variables.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList()), []);
    }

    /// <summary>Checks one template's HOCON <paramref name="text"/> as if it were a file of the library (replacing a
    /// template of the same name, extending any of them), within <paramref name="limits"/> (by default
    /// <see cref="TemplateTextLimits.Default"/>). Returns the template's name when it could be read, and every problem;
    /// none means valid. Never throws on any text.</summary>
    public static (string? Name, IReadOnlyList<TemplateProblem> Problems) Validate(TemplateLibrary library, string text,
        TemplateTextLimits? limits = null, CancellationToken cancel = default)
    {
        var problems = new List<TemplateProblem>();
        if (HoconTemplateLoader.Parse(text, RequestFile, problems, limits, refuseSubstitutions: true, cancel) is not { } template)
            return (null, problems);
        var templates = new Dictionary<string, WorkflowTemplate>(library.Templates, StringComparer.Ordinal) { [template.Name] = template };
        problems.AddRange(TemplateResolver.Resolve(template.Name, templates, null).Problems);
        return (template.Name, problems.Distinct().ToList());
    }
}
