using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Tests.Workflows;

public class TemplateResolverSpec
{
    private static WorkflowNode Node(string id, string prompt = "do it", params string[] deps) =>
        new(id, "analyst", prompt, deps, Source: new SourceLocation("t.conf", 10));

    private static WorkflowTemplate Template(string name, string? extends, params WorkflowNode[] nodes) =>
        new(name, nodes, SessionSettingsSpec.Empty, [], extends, Source: new SourceLocation($"{name}.conf", 1));

    private static Dictionary<string, WorkflowTemplate> Library(params WorkflowTemplate[] templates) =>
        templates.ToDictionary(t => t.Name);

    private static readonly Dictionary<string, string> NoInputs = new();

    [Fact]
    public void Child_overrides_parent_nodes_by_id_and_keeps_the_rest_in_order()
    {
        var parent = Template("base", null, Node("a", "parent a"), Node("b", "parent b", "a"));
        var child = Template("child", "base", Node("b", "child b", "a"), Node("c", "child c", "b"));

        var result = TemplateResolver.Resolve("child", Library(parent, child), NoInputs);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(["a", "b", "c"], result.Workflow!.Nodes.Select(n => n.Id));
        Assert.Equal("child b", result.Workflow.Nodes[1].Prompt);
        Assert.Equal(["child", "base"], result.Workflow.Lineage);
    }

    [Fact]
    public void Inputs_the_template_neither_declares_nor_uses_are_refused_by_name()
    {
        var parent = Template("base", null, Node("a", "About {TOPIC}")) with { Variables = [new WorkflowVariable("LANG", "en")] };
        var child = Template("child", "base", Node("b", "Use {output.a} for {TASK_ID}", "a"));

        var taken = TemplateResolver.Resolve("child", Library(parent, child),
            new Dictionary<string, string> { ["TOPIC"] = "dunes", ["LANG"] = "fr" });
        var refused = TemplateResolver.Resolve("child", Library(parent, child),
            new Dictionary<string, string> { ["TOPIC"] = "dunes", ["TOPIK"] = "typo", ["TASK_ID"] = "mine" });

        Assert.True(taken.IsValid, string.Join("\n", taken.Problems));
        var problem = Assert.Single(refused.Problems);
        Assert.Equal("unknown-input", problem.Code);
        Assert.Equal("unknown inputs TASK_ID, TOPIK: the template takes LANG, TOPIC", problem.Message);
    }

    [Fact]
    public void Settings_are_merged_with_the_child_winning()
    {
        var parent = Template("base", null, Node("a")) with
        {
            Settings = new SessionSettingsSpec(MaxConcurrentTasks: 2, QualityThreshold: 0.5),
        };
        var child = Template("child", "base") with { Settings = new SessionSettingsSpec(QualityThreshold: 0.9) };

        var settings = TemplateResolver.Resolve("child", Library(parent, child), NoInputs).Workflow!.Settings;

        Assert.Equal(2, settings.MaxConcurrentTasks);
        Assert.Equal(0.9, settings.QualityThreshold);
        Assert.Equal(SessionSettings.Defaults.MaxIterations, settings.MaxIterations);
    }

    [Fact]
    public void Defaults_are_substituted_while_inputs_and_run_time_names_are_kept_for_the_task_to_fill_in()
    {
        var template = Template("t", null,
            Node("a", "Review {TITLE} in {LANG}"),
            Node("b", "Use {output.a} for {TASK_ID}, critique: {CRITIQUE}; json {\"score\": 1}", "a")) with
        {
            Variables = [new WorkflowVariable("TITLE", Required: true), new WorkflowVariable("LANG", "en")],
        };

        var result = TemplateResolver.Resolve("t", Library(template), new Dictionary<string, string> { ["TITLE"] = "Dune" });

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal("Review {TITLE} in en", result.Workflow!.Nodes[0].Prompt);
        Assert.Equal("Use {output.a} for {TASK_ID}, critique: {CRITIQUE}; json {\"score\": 1}", result.Workflow.Nodes[1].Prompt);
        Assert.Equal(new Dictionary<string, string> { ["LANG"] = "en" }, result.Workflow.Variables);
        // Rendered in one pass: an input's own text is never read for placeholders.
        Assert.Equal("Review Dune {LANG} {TASK_ID} in en", PromptRenderer.Render(result.Workflow.Nodes[0].Prompt, "s", "a", 1,
            new Dictionary<string, string>(), inputs: new Dictionary<string, string> { ["TITLE"] = "Dune {LANG} {TASK_ID}" }));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_location()
    {
        var template = Template("t", null,
            Node("a", "uses {MISSING} and {output.b}"),
            Node("b", "x", "c", "ghost"),
            Node("c", "x", "b"),
            new WorkflowNode("bad id!", " ", "", [], Retries: -1, OutputSchema: "[1,", Source: new("t.conf", 40))) with
        {
            Variables = [new WorkflowVariable("NEEDED", Required: true, Source: new("t.conf", 3))],
            Settings = new SessionSettingsSpec(MaxConcurrentTasks: 0, QualityThreshold: 2, Source: new("t.conf", 5)),
        };

        var problems = TemplateResolver.Resolve("t", Library(template), NoInputs).Problems;
        var codes = problems.Select(p => p.Code).ToList();

        Assert.Contains("missing-variable", codes);
        Assert.Contains("unknown-dependency", codes);
        Assert.Contains("cycle", codes);
        Assert.Equal(2, codes.Count(c => c == "unknown-placeholder"));
        Assert.Equal(2, codes.Count(c => c == "invalid-setting"));
        Assert.True(codes.Count(c => c == "invalid-node") >= 4);
        Assert.Contains(problems, p => p.Code == "unknown-dependency" && p.Message.Contains("'ghost'") && p.Location!.Line == 10);
        Assert.Contains(problems, p => p.Code == "missing-variable" && p.Location == new SourceLocation("t.conf", 3));
        Assert.Contains(problems, p => p.Code == "cycle" && p.Message.Contains("b → c → b"));
    }

    [Fact]
    public void Unknown_parent_and_inheritance_cycles_are_reported()
    {
        var orphan = Template("orphan", "nobody", Node("a"));
        Assert.Equal("unknown-parent", Assert.Single(TemplateResolver.Resolve("orphan", Library(orphan), NoInputs).Problems).Code);

        var x = Template("x", "y", Node("a"));
        var y = Template("y", "x", Node("b"));
        var cycle = Assert.Single(TemplateResolver.Resolve("x", Library(x, y), NoInputs).Problems);
        Assert.Equal("inheritance-cycle", cycle.Code);
        Assert.Contains("x → y → x", cycle.Message);
    }

    [Fact]
    public void Without_inputs_required_variables_are_not_checked()
    {
        var template = Template("t", null, Node("a", "Review {TITLE}")) with
        {
            Variables = [new WorkflowVariable("TITLE", Required: true)],
        };

        Assert.True(TemplateResolver.Resolve("t", Library(template), null).IsValid);
        Assert.False(TemplateResolver.Resolve("t", Library(template), NoInputs).IsValid);
    }

    [Fact]
    public void Scorer_node_must_exist()
    {
        var template = Template("t", null, Node("a")) with { Settings = new SessionSettingsSpec(ScorerNode: "judge") };
        Assert.Equal("unknown-scorer", Assert.Single(TemplateResolver.Resolve("t", Library(template), NoInputs).Problems).Code);
    }

    [Fact]
    public void Prompt_renderer_fills_run_time_placeholders()
    {
        var text = PromptRenderer.Render("{TASK_ID}@{ITERATION}: {output.a} / {CRITIQUE} / {UNKNOWN}", "s1", "b", 2,
            new Dictionary<string, string> { ["a"] = "A-out" }, "be brief");
        Assert.Equal("b@2: A-out / be brief / {UNKNOWN}", text);
    }
}

public class PromptRendererSpec
{
    [Fact]
    public void Inputs_placeholder_lists_every_dependency_output_in_order()
    {
        var outputs = new Dictionary<string, string> { ["write-b"] = "B", ["write-a"] = "A" };
        Assert.Equal("[write-b]\nB\n\n[write-a]\nA", PromptRenderer.Render("{INPUTS}", "s", "t", 1, outputs));
    }

    [Fact]
    public void Abstract_template_resolves_for_validation_but_cannot_be_started()
    {
        var template = new WorkflowTemplate("base", [], SessionSettingsSpec.Empty, [], Abstract: true);
        var library = new Dictionary<string, WorkflowTemplate> { ["base"] = template };
        Assert.True(TemplateResolver.Resolve("base", library, null).IsValid);
        Assert.Equal("abstract-template", Assert.Single(TemplateResolver.Resolve("base", library, new Dictionary<string, string>()).Problems).Code);
    }
}
