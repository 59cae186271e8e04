using Akka.Configuration;
using Akka.Configuration.Hocon;
using Orchestrator.Core.Conflicts;
using Orchestrator.Core.Context;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Engine.Workflows;

/// <summary>Reads workflow templates from HOCON (<c>config/workflows/*.conf</c>) with Akka's own parser into Core's
/// template records. A file holds one <c>workflow { ... }</c>; its name is <c>workflow.name</c> or the file's name.
/// Every problem (syntax, unknown key, wrong type, then what resolution finds) is reported with file and line;
/// nothing throws on a bad file.</summary>
public static class HoconTemplateLoader
{
    private static readonly TimeSpan ParseDeadline = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> WorkflowKeys = ["name", "extends", "abstract", "description", "variables", "settings", "nodes"];
    private static readonly HashSet<string> NodeKeys =
        ["role", "prompt", "depends-on", "priority", "timeout", "retries", "output-schema", "phase", "estimated-duration", "council", "chat", "resources", "kind", "capabilities"];
    private static readonly HashSet<string> VariableKeys = ["default", "required", "description"];
    private static readonly HashSet<string> SettingKeys =
    [
        "max-concurrent-tasks", "dispatch-spacing", "time-budget", "token-budget", "quality-threshold", "max-iterations",
        "max-iterations-without-improvement", "max-session-retries", "retry-base-delay", "retry-max-delay", "scorer-node",
        "tasks-per-iteration", "context",
    ];
    private static readonly HashSet<string> ContextKeys =
        ["share-history", "max-chars", "summarize-above", "summarizer-role", "language", "keep-recent-turns"];

    /// <summary>Reads every <c>*.conf</c> of <paramref name="directory"/> (in name order), then resolves each template
    /// without inputs, so that inheritance, DAG and placeholder problems are found at load time.</summary>
    public static TemplateLibrary LoadDirectory(string directory, Orchestrator.Core.Councils.AgentCatalog? agents = null)
    {
        var problems = new List<TemplateProblem>();
        if (!Directory.Exists(directory))
            return new TemplateLibrary(new Dictionary<string, WorkflowTemplate>(),
                [new TemplateProblem("missing-directory", $"template folder '{directory}' does not exist")]);
        var files = Directory.GetFiles(directory, "*.conf").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path: f, Text: File.ReadAllText(f)));
        return Load(files, problems, agents);
    }

    /// <summary>Reads templates from (file name, text) pairs and resolves each; with <paramref name="agents"/>, council
    /// members and chat participants must run on configured models.</summary>
    public static TemplateLibrary Load(IEnumerable<(string Path, string Text)> files, List<TemplateProblem>? problems = null,
        Orchestrator.Core.Councils.AgentCatalog? agents = null)
    {
        problems ??= [];
        var templates = new Dictionary<string, WorkflowTemplate>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            if (Parse(text, path, problems) is not { } template) continue;
            if (!templates.TryAdd(template.Name, template))
                problems.Add(new("duplicate-template",
                    $"template '{template.Name}' is defined in {templates[template.Name].Source?.File} and {path}", template.Source));
        }
        foreach (var name in templates.Keys)
            problems.AddRange(TemplateResolver.Resolve(name, templates, null, agents).Problems
                .Where(p => !p.Code.StartsWith("unknown-template", StringComparison.Ordinal)));
        return new TemplateLibrary(templates, problems.Distinct().ToList());
    }

    /// <summary>Reads one file's template, or null (with problems) when it cannot be read at all.</summary>
    internal static WorkflowTemplate? Parse(string text, string file, List<TemplateProblem> problems)
    {
        // Brackets first: Akka's parser accepts an unclosed one and may never return on a mismatched one.
        var lines = HoconLineIndex.Scan(text);
        if (lines.MismatchAt is { } wrong)
        {
            problems.Add(new("syntax", $"{file} is not valid HOCON: this bracket closes one of the other kind", new SourceLocation(file, wrong)));
            return null;
        }
        if (lines.StrayDollarAt is { } dollar)
        {
            problems.Add(new("syntax", $"{file} is not valid HOCON: '$' outside quotes must start a ${{substitution}}", new SourceLocation(file, dollar)));
            return null;
        }
        if (lines.StraySeparatorAt is { } separator)
        {
            problems.Add(new("syntax", $"{file} is not valid HOCON: '=' or ':' with no key before it", new SourceLocation(file, separator)));
            return null;
        }
        if (lines.UnclosedAt is { } open)
        {
            problems.Add(new("syntax", $"{file} is not valid HOCON: the bracket opened here is never closed", new SourceLocation(file, open)));
            return null;
        }
        Config config;
        try
        {
            // Akka's parser loops forever on some malformed input: give it a deadline rather than hang the node.
            var parse = Task.Run(() => ConfigurationFactory.ParseString(text));
            if (!parse.Wait(ParseDeadline))
            {
                problems.Add(new("syntax", $"{file} is not valid HOCON: the parser did not finish within {ParseDeadline.TotalSeconds} s",
                    new SourceLocation(file, 0)));
                return null;
            }
            config = parse.Result;
        }
        catch (AggregateException wrapped) when (wrapped.InnerException is { } e)
        {
            problems.Add(new("syntax", $"{file} is not valid HOCON: {e.Message}", new SourceLocation(file, 0)));
            return null;
        }
        var reader = new FieldReader(file, lines, problems);
        var workflow = config.HasPath("workflow") ? config.GetValue("workflow").GetObject() : null;
        if (workflow is null)
        {
            problems.Add(new("invalid-template", $"{file} has no 'workflow {{ ... }}' object", new SourceLocation(file, 1)));
            return null;
        }
        reader.UnknownKeys(workflow, "workflow", WorkflowKeys);
        var name = reader.String(workflow, "workflow", "name") ?? Path.GetFileNameWithoutExtension(file);

        var nodes = new List<WorkflowNode>();
        if (reader.Object(workflow, "workflow", "nodes") is { } nodeObjects)
            foreach (var (id, value) in nodeObjects.Items)
                if (ReadNode(reader, id, value) is { } node) nodes.Add(node);

        var variables = new List<WorkflowVariable>();
        if (reader.Object(workflow, "workflow", "variables") is { } variableObjects)
            foreach (var (varName, value) in variableObjects.Items)
            {
                var path = $"workflow.variables.{varName}";
                if (value.GetObject() is not { } v)
                {
                    variables.Add(new WorkflowVariable(varName, value.GetString(), Source: reader.At(path)));
                    continue;
                }
                reader.UnknownKeys(v, path, VariableKeys);
                variables.Add(new WorkflowVariable(varName, reader.String(v, path, "default"), reader.Bool(v, path, "required") ?? false,
                    reader.String(v, path, "description"), reader.At(path)));
            }

        var settings = SessionSettingsSpec.Empty;
        if (reader.Object(workflow, "workflow", "settings") is { } s)
        {
            const string p = "workflow.settings";
            reader.UnknownKeys(s, p, SettingKeys);
            settings = new SessionSettingsSpec(
                reader.Int(s, p, "max-concurrent-tasks"), reader.Duration(s, p, "dispatch-spacing"), reader.Duration(s, p, "time-budget"),
                reader.Long(s, p, "token-budget"), reader.Double(s, p, "quality-threshold"), reader.Int(s, p, "max-iterations"),
                reader.Int(s, p, "max-iterations-without-improvement"), reader.Int(s, p, "max-session-retries"),
                reader.Duration(s, p, "retry-base-delay"), reader.Duration(s, p, "retry-max-delay"), reader.String(s, p, "scorer-node"),
                reader.Int(s, p, "tasks-per-iteration"), reader.At(p), ReadContext(reader, s, p));
        }

        return new WorkflowTemplate(name, nodes, settings, variables, reader.String(workflow, "workflow", "extends"),
            reader.String(workflow, "workflow", "description"), reader.At("workflow"),
            reader.Bool(workflow, "workflow", "abstract") ?? false);
    }

    /// <summary>The <c>settings.context</c> block, or null when the template has none.</summary>
    private static ContextSettingsSpec? ReadContext(FieldReader reader, HoconObject settings, string settingsPath)
    {
        if (reader.Object(settings, settingsPath, "context") is not { } c) return null;
        var p = $"{settingsPath}.context";
        reader.UnknownKeys(c, p, ContextKeys);
        return new ContextSettingsSpec(reader.Bool(c, p, "share-history"), reader.Int(c, p, "max-chars"), reader.Int(c, p, "summarize-above"),
            reader.String(c, p, "summarizer-role"), reader.String(c, p, "language"), reader.Int(c, p, "keep-recent-turns"), reader.At(p));
    }

    private static WorkflowNode? ReadNode(FieldReader reader, string id, HoconValue value)
    {
        var path = $"workflow.nodes.{id}";
        if (value.GetObject() is not { } n)
        {
            reader.Problem(path, "invalid-node", $"node '{id}' must be an object {{ role = ..., prompt = ... }}");
            return null;
        }
        reader.UnknownKeys(n, path, NodeKeys);
        var resources = reader.StringList(n, path, "resources");
        foreach (var resource in resources)
            if (ResourceScope.TryParse(resource, out var problem) is null)
                reader.Problem($"{path}.resources", "invalid-resource", problem!);
        // A missing role or prompt is reported by the resolver, at this node's line.
        return new WorkflowNode(
            id, reader.String(n, path, "role") ?? "", reader.String(n, path, "prompt") ?? "", reader.StringList(n, path, "depends-on"), reader.Int(n, path, "priority") ?? 0,
            reader.Duration(n, path, "timeout"), reader.Int(n, path, "retries") ?? 0, reader.String(n, path, "output-schema"),
            reader.String(n, path, "phase"), reader.Duration(n, path, "estimated-duration"), reader.At(path),
            DeliberationReader.Council(reader, n, path), DeliberationReader.Chat(reader, n, path),

            resources.Count > 0 ? resources : null, reader.String(n, path, "kind"),
            reader.StringList(n, path, "capabilities") is { Count: > 0 } capabilities ? capabilities : null);
    }
}
