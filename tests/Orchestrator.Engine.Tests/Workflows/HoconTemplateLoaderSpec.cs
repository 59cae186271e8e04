using Orchestrator.Core.Sessions;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Workflows;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Engine.Tests.Workflows;

public class HoconTemplateLoaderSpec
{
    private static string ShippedFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return Path.Combine(dir.FullName, "config", "workflows");
        throw new InvalidOperationException("the repository root (Orchestrator.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static TemplateLibrary Load(params (string File, string Text)[] files) => HoconTemplateLoader.Load(files);

    [Fact]
    public void Shipped_templates_load_and_resolve_without_a_problem()
    {
        var library = HoconTemplateLoader.LoadDirectory(ShippedFolder());

        Assert.True(library.IsValid, string.Join("\n", library.Problems));
        Assert.Contains("manuscript-review", library.Templates.Keys);
        Assert.Contains("docs-generation", library.Templates.Keys);
        Assert.True(library.Templates["base-analysis"].Abstract);
    }

    [Fact]
    public void Manuscript_review_runs_five_analyses_in_parallel_then_recommendations_and_a_score()
    {
        var library = HoconTemplateLoader.LoadDirectory(ShippedFolder());
        var inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Call me Ishmael." };

        var resolution = TemplateResolver.Resolve("manuscript-review", library.Templates, inputs);

        Assert.True(resolution.IsValid, string.Join("\n", resolution.Problems));
        var workflow = resolution.Workflow!;
        var analysis = Orchestrator.Core.Dag.DagAnalyzer.Analyze(
            workflow.Nodes.Select(n => new Orchestrator.Core.Dag.DagNode(n.Id, n.DependsOn, n.EstimatedDuration)).ToList());
        Assert.Equal(["structure", "characters", "pacing", "style", "consistency"], analysis.Levels[0]);
        Assert.Equal(["recommendations"], analysis.Levels[1]);
        Assert.Equal(["quality-score"], analysis.Levels[2]);
        Assert.Equal("quality-score", workflow.Settings.ScorerNode);
        Assert.Equal(5, workflow.Settings.MaxConcurrentTasks);               // the child's
        Assert.Equal(TimeSpan.FromMilliseconds(100), workflow.Settings.DispatchSpacing); // the parent's
        Assert.Contains("{MANUSCRIPT}", workflow.Nodes[0].Prompt); // the input itself is filled in when the task runs
        Assert.Contains("English", workflow.Nodes[0].Prompt);
        Assert.Contains("{CRITIQUE}", workflow.Nodes[0].Prompt);
        Assert.Contains("{output.structure}", workflow.Nodes.Single(n => n.Id == "recommendations").Prompt);
    }

    [Fact]
    public void Docs_generation_plans_then_expands_one_writer_per_proposed_task()
    {
        var library = HoconTemplateLoader.LoadDirectory(ShippedFolder());
        var inputs = new Dictionary<string, string> { ["PROJECT_NAME"] = "orch", ["PROJECT_DESCRIPTION"] = "an engine" };

        var workflow = TemplateResolver.Resolve("docs-generation", library.Templates, inputs).Workflow!;

        Assert.Equal(WorkflowPhases.Planning, workflow.Nodes.Single(n => n.Id == "analysis").Phase);
        Assert.Equal(WorkflowPhases.PerTask, workflow.Nodes.Single(n => n.Id == "write").Phase);
        Assert.Equal("verification", workflow.Settings.ScorerNode);
        Assert.Contains("{INPUTS}", workflow.Nodes.Single(n => n.Id == "aggregation").Prompt);
    }

    [Fact]
    public void Missing_required_variables_are_reported_with_their_line()
    {
        var library = HoconTemplateLoader.LoadDirectory(ShippedFolder());

        var problems = TemplateResolver.Resolve("docs-generation", library.Templates, new Dictionary<string, string>()).Problems;

        Assert.Equal(2, problems.Count(p => p.Code == "missing-variable"));
        Assert.All(problems, p => Assert.EndsWith("docs-generation.conf", p.Location!.File));
        Assert.All(problems, p => Assert.True(p.Location!.Line > 1));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_with_its_line()
    {
        const string text = """
            workflow {
              name = broken
              settings {
                max-concurrent-tasks = many
                dispatch-spacing = soon
              }
              nodes {
                a {
                  role = analyst
                  prompt = "uses {UNKNOWN}"
                  depends-on = [b]
                  retries = lots
                }
                b {
                  role = analyst
                  prompt = "x"
                  depends_on = [a]
                  depends-on = [a]
                }
                c {
                  prompt = "no role"
                  depends-on = [ghost]
                }
              }
            }
            """;

        var library = Load(("broken.conf", text));
        var byCode = library.Problems.ToLookup(p => p.Code);

        Assert.Contains(byCode["invalid-value"], p => p.Message.Contains("max-concurrent-tasks") && p.Location!.Line == 4);
        Assert.Contains(byCode["invalid-value"], p => p.Message.Contains("dispatch-spacing") && p.Location!.Line == 5);
        Assert.Contains(byCode["invalid-value"], p => p.Message.Contains("retries") && p.Location!.Line == 12);
        Assert.Contains(byCode["unknown-key"], p => p.Message.Contains("depends_on") && p.Location!.Line == 17);
        Assert.Contains(byCode["invalid-node"], p => p.Message.Contains("agent role is missing") && p.Location!.Line == 20);
        Assert.Contains(byCode["cycle"], p => p.Message.Contains("a → b → a") && p.Location!.Line == 8);
        Assert.Contains(byCode["unknown-dependency"], p => p.Message.Contains("'ghost'") && p.Location!.Line == 20);
        Assert.Contains(byCode["unknown-placeholder"], p => p.Message.Contains("{UNKNOWN}") && p.Location!.Line == 8);
        Assert.All(library.Problems, p => Assert.Equal("broken.conf", p.Location!.File));
    }

    [Fact]
    public void Syntax_errors_and_missing_workflow_are_problems_not_exceptions()
    {
        var library = Load(("bad.conf", "workflow {\n  nodes {\n    a { role = x }\n"), ("worse.conf", "workflow { a = [1, }"),
            ("empty.conf", "something = 1"));

        Assert.Contains(library.Problems, p => p.Code == "syntax" && p.Location == new SourceLocation("bad.conf", 2));
        Assert.Contains(library.Problems, p => p.Code == "syntax" && p.Location!.File == "worse.conf");
        Assert.Contains(library.Problems, p => p.Code == "invalid-template" && p.Location!.File == "empty.conf");
        Assert.Empty(library.Templates);
    }

    [Fact]
    public void Unknown_parent_and_duplicate_names_are_reported()
    {
        var library = Load(
            ("a.conf", "workflow { name = a, extends = nowhere, nodes { n { role = r, prompt = p } } }"),
            ("b.conf", "workflow { name = a, nodes { n { role = r, prompt = p } } }"));

        Assert.Contains(library.Problems, p => p.Code == "unknown-parent" && p.Message.Contains("'nowhere'"));
        Assert.Contains(library.Problems, p => p.Code == "duplicate-template" && p.Message.Contains("a.conf") && p.Message.Contains("b.conf"));
    }

    [Fact]
    public void Loaded_template_starts_a_session_that_keeps_its_content()
    {
        var library = HoconTemplateLoader.LoadDirectory(ShippedFolder());
        var start = new SessionCommands.StartSession("review-1", "manuscript-review",
            new Dictionary<string, string> { ["MANUSCRIPT"] = "It was a dark and stormy night." });

        var result = SessionState.Empty("review-1").Decide(start, library.Templates, DateTimeOffset.UnixEpoch);

        var created = Assert.IsType<SessionEvents.SessionCreated>(result.Events[0]);
        Assert.Equal(["manuscript-review", "base-analysis"], created.Workflow.Lineage);
        Assert.Equal(7, Assert.IsType<SessionEvents.PlanAccepted>(result.Events[1]).Tasks.Count);
    }
}
