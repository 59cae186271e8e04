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
    private static readonly HashSet<string> WorkflowKeys = ["name", "extends", "abstract", "description", "variables", "settings", "nodes"];
    private static readonly HashSet<string> NodeKeys =
        ["role", "prompt", "depends-on", "priority", "timeout", "retries", "output-schema", "phase", "estimated-duration", "council", "chat", "resources", "kind", "capabilities", "human"];
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
    /// without inputs, so that inheritance, DAG and placeholder problems are found at load time. A file larger than
    /// <paramref name="limits"/> allow is a problem, and is not read.</summary>
    public static TemplateLibrary LoadDirectory(string directory, TemplateTextLimits? limits = null)
    {
        limits ??= TemplateTextLimits.Default;
        var problems = new List<TemplateProblem>();
        if (!Directory.Exists(directory))
            return new TemplateLibrary(new Dictionary<string, WorkflowTemplate>(),
                [new TemplateProblem("missing-directory", $"template folder '{directory}' does not exist")]);
        var files = new List<(string Path, string Text)>();
        foreach (var file in Directory.GetFiles(directory, "*.conf").Order(StringComparer.Ordinal))
        {
            var length = new FileInfo(file).Length;
            if (length > limits.MaxBytes)
                problems.Add(new("too-large", $"{file} has {length} bytes; a template may have at most {limits.MaxBytes}", new SourceLocation(file, 1)));
            else
                files.Add((file, File.ReadAllText(file)));
        }
        return Load(files, problems, limits);
    }

    /// <summary>Reads templates from (file name, text) pairs, each within <paramref name="limits"/> (by default
    /// <see cref="TemplateTextLimits.Default"/>), and resolves each.</summary>
    public static TemplateLibrary Load(IEnumerable<(string Path, string Text)> files, List<TemplateProblem>? problems = null,
        TemplateTextLimits? limits = null)
    {
        problems ??= [];
        var templates = new Dictionary<string, WorkflowTemplate>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            if (Parse(text, path, problems, limits) is not { } template) continue;
            if (!templates.TryAdd(template.Name, template))
                problems.Add(new("duplicate-template",
                    $"template '{template.Name}' is defined in {templates[template.Name].Source?.File} and {path}", template.Source));
        }
        foreach (var name in templates.Keys)
            problems.AddRange(TemplateResolver.Resolve(name, templates, null).Problems
                .Where(p => !p.Code.StartsWith("unknown-template", StringComparison.Ordinal)));
        return new TemplateLibrary(templates, problems.Distinct().ToList());
    }

    /// <summary>Reads one file's template, or null (with problems) when it cannot be read at all. The whole read (the
    /// pre-scan, Akka's parser, the fields) runs under <paramref name="limits"/>' deadline; with
    /// <paramref name="refuseSubstitutions"/>, a <c>${substitution}</c> is a problem before Akka could resolve it from the
    /// process's environment.</summary>
    internal static WorkflowTemplate? Parse(string text, string file, List<TemplateProblem> problems, TemplateTextLimits? limits = null,
        bool refuseSubstitutions = false, CancellationToken cancel = default)
    {
        limits ??= TemplateTextLimits.Default;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(limits.Deadline);
        var found = new List<TemplateProblem>();
        try
        {
            var template = Read(text, file, found, limits, refuseSubstitutions, deadline.Token);
            problems.AddRange(found);
            return template;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            problems.Add(new("deadline", $"{file} was not read within {limits.Deadline.TotalSeconds} s: make it smaller or simpler",
                new SourceLocation(file, 0)));
            return null;
        }
    }

    private static WorkflowTemplate? Read(string text, string file, List<TemplateProblem> problems, TemplateTextLimits limits,
        bool refuseSubstitutions, CancellationToken cancel)
    {
        // Size, depth and structure first, in one linear pass: Akka's parser recurses once per level (a deep text
        // overflows the stack, which kills the process), loops on some malformed input and drops what follows a stray '}'.
        var scan = HoconPreScan.Run(text, file, limits, cancel);
        problems.AddRange(scan.Problems);
        if (scan.Refused) return null;
        if (refuseSubstitutions && scan.SubstitutionAt is { } substitution)
        {
            problems.Add(new("substitution", "substitutions (${...}) are not accepted in a template sent to the node",
                new SourceLocation(file, substitution)));
            return null;
        }
        var lines = scan.Index;
        if (ParseHocon(text, file, problems, cancel) is not { } config) return null;
        cancel.ThrowIfCancellationRequested();
        var reader = new FieldReader(file, lines, problems);
        foreach (var key in config.Root.GetObject()?.Items.Keys ?? Enumerable.Empty<string>())
            if (key != "workflow")
                reader.Problem(key, "unknown-key", $"'{key}' is not a key of a template file: it holds one workflow {{ ... }}");
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
            {
                cancel.ThrowIfCancellationRequested();
                if (ReadNode(reader, id, value) is { } node) nodes.Add(node);
            }

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

    /// <summary>Akka's parser over text the pre-scan accepted, or null with a problem. The parser takes no cancellation
    /// token: it runs on the pool while this waits until <paramref name="cancel"/> fires, and the pre-scan is what keeps
    /// it from text it would loop on. Its exception messages are shown only when they are its own syntax errors.</summary>
    private static Config? ParseHocon(string text, string file, List<TemplateProblem> problems, CancellationToken cancel)
    {
        var parse = Task.Run(() => ConfigurationFactory.ParseString(text), CancellationToken.None);
        try
        {
            parse.Wait(cancel);
            return parse.Result;
        }
        catch (OperationCanceledException)
        {
            _ = parse.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, whenever it ends
            throw;
        }
        catch (AggregateException wrapped) when (wrapped.InnerException is { } e)
        {
            var why = e is ConfigurationException or FormatException || e.GetType() == typeof(Exception)
                ? e.Message
                : "Akka's parser could not read it";
            problems.Add(new("syntax", $"{file} is not valid HOCON: {why}", new SourceLocation(file, 0)));
            return null;
        }
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
        var human = HumanInputReader.Read(reader, n, path);
        // A missing role or prompt is reported by the resolver, at this node's line.
        return new WorkflowNode(
            id, reader.String(n, path, "role") ?? "", human?.Ask ?? reader.String(n, path, "prompt") ?? "", reader.StringList(n, path, "depends-on"), reader.Int(n, path, "priority") ?? 0,
            reader.Duration(n, path, "timeout"), reader.Int(n, path, "retries") ?? 0, reader.String(n, path, "output-schema"),
            reader.String(n, path, "phase"), reader.Duration(n, path, "estimated-duration"), reader.At(path),
            DeliberationReader.Council(reader, n, path), DeliberationReader.Chat(reader, n, path),

            resources.Count > 0 ? resources : null, reader.String(n, path, "kind"),
            reader.StringList(n, path, "capabilities") is { Count: > 0 } capabilities ? capabilities : null, human?.Spec);
    }
}
