using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Dag;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Workflows;

/// <summary>Resolves a template by name against a library: inheritance (a child's node replaces the parent's node of
/// the same id, settings and variables merged), validation of nodes, settings and the DAG, and substitution of
/// variables. Reports every problem at once, each with its source location; never throws on bad input.</summary>
public static class TemplateResolver
{
    /// <summary>Resolves <paramref name="name"/>. With <paramref name="inputs"/> null, required variables are not
    /// checked (validating a template file on its own); otherwise each missing one is a problem. Whether models serve its
    /// roles is not a problem of the template: a session's start asks the cluster as it is then (<c>SessionServingCheck</c>).</summary>
    public static TemplateResolution Resolve(
        string name,
        IReadOnlyDictionary<string, WorkflowTemplate> library,
        IReadOnlyDictionary<string, string>? inputs)
    {
        var problems = new List<TemplateProblem>();
        var chain = Lineage(name, library, problems);
        if (chain.Count == 0) return new TemplateResolution(null, problems);

        // Merge from the root down: the parent's order first, a child's replacement in place, a child's new nodes after.
        var nodes = new List<WorkflowNode>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var settings = SessionSettingsSpec.Empty;
        var variables = new Dictionary<string, WorkflowVariable>(StringComparer.Ordinal);
        for (var t = chain.Count - 1; t >= 0; t--)
        {
            var template = chain[t];
            problems.AddRange(template.Settings.Validate(template.Name));
            settings = settings.OverriddenBy(template.Settings);
            foreach (var v in template.Variables) variables[v.Name] = v;
            var idsInThisTemplate = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in template.Nodes)
            {
                if (!idsInThisTemplate.Add(node.Id))
                {
                    problems.Add(new("duplicate-node",
                        $"template '{template.Name}' defines node '{node.Id}' more than once", node.Source));
                    continue;
                }
                if (positions.TryGetValue(node.Id, out var at)) nodes[at] = node;
                else
                {
                    positions[node.Id] = nodes.Count;
                    nodes.Add(node);
                }
            }
        }

        var top = chain[0];
        if (top.Abstract && inputs is not null)
            problems.Add(new("abstract-template", $"template '{top.Name}' is abstract: start a template that extends it", top.Source));
        if (nodes.Count == 0 && !top.Abstract) problems.Add(new("empty", $"template '{top.Name}' has no nodes", top.Source));
        foreach (var node in nodes)
            problems.AddRange(ValidateNode(node).Concat(node.Human is null ? ValidateDeliberation(node) : ValidateHuman(node)));

        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var analysis = DagAnalyzer.Analyze(nodes.ConvertAll(n => new DagNode(n.Id, n.DependsOn, n.EstimatedDuration)));
        foreach (var p in analysis.Problems.Where(p => p.Kind != DagProblemKind.DuplicateNode))
            problems.Add(new(p.Kind == DagProblemKind.Cycle ? "cycle" : "unknown-dependency", p.Message,
                byId.GetValueOrDefault(p.NodeId)?.Source));

        var resolvedSettings = settings.ToSettings();
        if (resolvedSettings.ScorerNode is { } scorer && !byId.ContainsKey(scorer))
            problems.Add(new("unknown-scorer", $"scorer-node '{scorer}' is not a node of '{top.Name}'", settings.Source));

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in variables.Values)
        {
            if (inputs is not null && inputs.TryGetValue(v.Name, out var given)) values[v.Name] = given;
            else if (v.Default is not null) values[v.Name] = v.Default;
            else if (v.Required && inputs is not null)
                problems.Add(new("missing-variable", $"required variable '{v.Name}' was not given", v.Source ?? top.Source));
        }
        if (inputs is not null)
        {
            foreach (var (key, value) in inputs) values.TryAdd(key, value);
            if (UnknownInputs(inputs, variables, nodes) is { } unknown)
                problems.Add(new("unknown-input", unknown, null));
        }

        var resolvedNodes = nodes.ConvertAll(n => n with { Prompt = SubstituteVariables(n, values, variables, inputs, problems) });
        // The inputs stay out of the workflow: the session's events keep them once, beside it, and its prompts name them.
        var defaults = values.Where(kv => inputs is null || !inputs.ContainsKey(kv.Key)).ToDictionary(StringComparer.Ordinal);
        return problems.Count > 0
            ? new TemplateResolution(null, problems)
            : new TemplateResolution(
                new ResolvedWorkflow(top.Name, chain.ConvertAll(t => t.Name), resolvedNodes, resolvedSettings, defaults),
                problems);
    }

    /// <summary>Why some of <paramref name="inputs"/> are not the template's, or null when all are: a template takes
    /// the variables it (or a parent) declares and the names its prompts use as placeholders (other than dependency
    /// outputs and run-time names); an input that is neither would be silently ignored.</summary>
    private static string? UnknownInputs(IReadOnlyDictionary<string, string> inputs, Dictionary<string, WorkflowVariable> declared,
        List<WorkflowNode> nodes)
    {
        var taken = new HashSet<string>(declared.Keys, StringComparer.Ordinal);
        foreach (var node in nodes)
            taken.UnionWith(Placeholders.Names(node.Prompt ?? "")
                .Where(n => !n.StartsWith(Placeholders.OutputPrefix, StringComparison.Ordinal) && !Placeholders.RunTime.Contains(n)));
        var unknown = inputs.Keys.Where(k => !taken.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0) return null;
        const int named = 10;
        var names = string.Join(", ", unknown.Take(named).Select(InputEcho.Of)) + (unknown.Count > named ? $" and {unknown.Count - named} more" : "");
        var known = taken.Count == 0 ? "none" : string.Join(", ", taken.Order(StringComparer.Ordinal));
        return $"unknown input{(unknown.Count == 1 ? "" : "s")} {names}: the template takes {known}";
    }

    private static List<WorkflowTemplate> Lineage(
        string name, IReadOnlyDictionary<string, WorkflowTemplate> library, List<TemplateProblem> problems)
    {
        var chain = new List<WorkflowTemplate>();
        var names = new List<string>();
        string? current = name;
        SourceLocation? referrer = null;
        while (current is not null)
        {
            if (names.Contains(current, StringComparer.Ordinal))
            {
                names.Add(current);
                problems.Add(new("inheritance-cycle", $"templates extend each other: {string.Join(" → ", names)}", referrer));
                return [];
            }
            if (!library.TryGetValue(current, out var template))
            {
                problems.Add(chain.Count == 0
                    ? new("unknown-template", $"no template is named '{InputEcho.Of(current)}'", null)
                    : new("unknown-parent", $"template '{chain[^1].Name}' extends '{current}', which does not exist", referrer));
                return [];
            }
            names.Add(current);
            chain.Add(template);
            referrer = template.Source;
            current = template.Extends;
        }
        return chain;
    }

    private static IEnumerable<TemplateProblem> ValidateNode(WorkflowNode node)
    {
        TemplateProblem Bad(string what) => new("invalid-node", $"node '{node.Id}': {what}", node.Source);
        if (!TaskId.IsNodeId(node.Id))
            yield return Bad("an id is 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
        if (string.IsNullOrWhiteSpace(node.AgentRole) && node.Human is null) yield return Bad("agent role is missing");
        if (string.IsNullOrWhiteSpace(node.Prompt)) yield return Bad(node.Human is null ? "prompt is missing" : "human.ask is missing");
        if (node.Retries < 0) yield return Bad($"retries must not be negative, not {node.Retries}");
        if (node.Timeout is { } t && t <= TimeSpan.Zero) yield return Bad($"timeout must be positive, not {t}");
        if (node.EstimatedDuration is { } e && e < TimeSpan.Zero)
            yield return Bad($"estimated duration must not be negative, not {e}");
        if (node.OutputSchema is { } schema && SchemaProblem(schema) is { } why)
            yield return Bad($"output schema is not a JSON object: {why}");
    }

    /// <summary>A council or a group chat node's problems: fewer than two members, a member without a role, bad rounds
    /// or turns; each names the node.</summary>
    private static IEnumerable<TemplateProblem> ValidateDeliberation(WorkflowNode node)
    {
        if (node.Council is not null && node.Chat is not null)
            yield return new("invalid-node", $"node '{node.Id}': a node is a council or a group chat, not both", node.Source);
        if (node.Council is { } council)
            foreach (var problem in council.Problems())
                yield return new("invalid-council", $"node '{node.Id}': council: {problem}", node.Source);
        if (node.Chat is { } chat)
            foreach (var problem in chat.Problems())
                yield return new("invalid-chat", $"node '{node.Id}': chat: {problem}", node.Source);
        if ((node.Council ?? (object?)node.Chat) is not null && node.Phase is WorkflowPhases.Planning or WorkflowPhases.PerTask)
            yield return new("invalid-node", $"node '{node.Id}': a {node.Phase} node cannot be a council or a group chat", node.Source);
    }

    /// <summary>A human node's problems: its own spec's (schema, timeout, default action), and any agent's setting on it
    /// (role, council, chat, capabilities, output schema, phase, retries, timeout), since no agent or model runs it.</summary>
    private static IEnumerable<TemplateProblem> ValidateHuman(WorkflowNode node)
    {
        TemplateProblem Bad(string what) => new("invalid-human", $"node '{node.Id}': human: {what}", node.Source);
        foreach (var problem in node.Human!.Problems()) yield return Bad(problem);
        var agentSettings = new (string Key, bool Set)[]
        {
            ("role", !string.IsNullOrWhiteSpace(node.AgentRole)), ("council", node.Council is not null), ("chat", node.Chat is not null),
            ("capabilities", node.Capabilities is { Count: > 0 }), ("output-schema", node.OutputSchema is not null),
            ("phase", node.Phase is not null), ("retries", node.Retries != 0), ("timeout", node.Timeout is not null),
        };
        foreach (var (key, _) in agentSettings.Where(s => s.Set))
            yield return Bad(key == "timeout"
                ? "'timeout' is an agent's deadline: a person's is human.timeout"
                : $"'{key}' is an agent's setting, and no agent runs a human node");
    }

    private static string? SchemaProblem(string schema)
    {
        try
        {
            using var doc = JsonDocument.Parse(schema);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? null : $"it is a {doc.RootElement.ValueKind}";
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    private static string SubstituteVariables(
        WorkflowNode node,
        Dictionary<string, string> values,
        Dictionary<string, WorkflowVariable> declared,
        IReadOnlyDictionary<string, string>? inputs,
        List<TemplateProblem> problems)
    {
        foreach (var name in Placeholders.Names(node.Prompt).Distinct(StringComparer.Ordinal))
        {
            if (name.StartsWith(Placeholders.OutputPrefix, StringComparison.Ordinal))
            {
                var dep = name[Placeholders.OutputPrefix.Length..];
                if (!node.DependsOn.Contains(dep, StringComparer.Ordinal))
                    problems.Add(new("unknown-placeholder",
                        $"node '{node.Id}': prompt uses {{{name}}} but '{dep}' is not one of its dependencies", node.Source));
            }
            else if (!values.ContainsKey(name) && !Placeholders.RunTime.Contains(name)
                     && !(inputs is null && declared.ContainsKey(name)))
            {
                problems.Add(new("unknown-placeholder",
                    $"node '{node.Id}': prompt uses {{{name}}}, which is neither a variable nor a run-time name", node.Source));
            }
        }
        // A given input is left as its placeholder, filled in when a task's prompt is rendered (PromptRenderer): an input
        // of a megabyte used by three nodes would otherwise be copied into each node of SessionCreated and PlanAccepted.
        return Placeholders.Substitute(node.Prompt, name => inputs?.ContainsKey(name) == true ? null : values.GetValueOrDefault(name));
    }
}
