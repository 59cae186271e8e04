using Orchestrator.Engine.Workflows;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary>Showing a resolved template and checking a template's text sent by a client against the library.</summary>
public sealed class TemplateInspectorSpec
{
    private static readonly TemplateLibrary Library = HoconTemplateLoader.Load([
        ("base.conf", """
            workflow {
              name = base
              abstract = true
              variables { LANGUAGE { default = "English", description = "reply language" } }
              settings { max-iterations = 3, quality-threshold = 0.7 }
            }
            """),
        ("review.conf", """
            workflow {
              name = review
              extends = base
              description = "two steps"
              variables { TEXT { required = true } }
              settings { max-concurrent-tasks = 2 }
              nodes {
                read { role = reader, prompt = "Read {TEXT} in {LANGUAGE}" }
                judge { role = judge, prompt = "Judge {output.read}", depends-on = [read] }
              }
            }
            """),
    ]);

    [Fact]
    public void A_template_is_shown_resolved_with_the_variables_of_its_whole_chain()
    {
        var (view, problems) = TemplateInspector.Show(Library, "review")!.Value;

        Assert.Empty(problems);
        Assert.Equal(["review", "base"], view!.Workflow.Lineage);
        Assert.Equal(["LANGUAGE", "TEXT"], view.Variables.Select(v => v.Name));
        Assert.True(view.Variables.Single(v => v.Name == "TEXT").Required);
        Assert.Equal("English", view.Variables.Single(v => v.Name == "LANGUAGE").Default);
        Assert.Equal((3, 2), (view.Workflow.Settings.MaxIterations, view.Workflow.Settings.MaxConcurrentTasks));
        Assert.Equal(["read"], view.Workflow.Nodes.Single(n => n.Id == "judge").DependsOn);
        Assert.Null(TemplateInspector.Show(Library, "nobody"));
    }

    [Fact]
    public void Valid_text_extending_a_library_template_has_no_problem()
    {
        var (name, problems) = TemplateInspector.Validate(Library, """
            workflow {
              name = quick
              extends = base
              nodes { only { role = writer, prompt = "Write in {LANGUAGE}" } }
            }
            """);

        Assert.Equal("quick", name);
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_problem_of_invalid_text_is_reported_with_its_line()
    {
        var (_, problems) = TemplateInspector.Validate(Library, """
            workflow {
              name = broken
              extends = base
              settings { max-iterations = 0 }
              nodes {
                a { role = writer, prompt = "Uses {output.b}", depends-on = [b] }
                b { role = writer, prompt = "Uses {output.a}", depends-on = [a] }
                c { role = writer, prompt = "x", depends-on = [nowhere], colour = red }
              }
            }
            """);

        var byCode = problems.ToLookup(p => p.Code);
        Assert.Equal(4, byCode["invalid-setting"].Single().Location!.Line);
        Assert.Contains(byCode["cycle"], p => p.Location!.Line is 6 or 7);
        Assert.Equal(8, byCode["unknown-dependency"].Single().Location!.Line);
        Assert.Equal(8, byCode["unknown-key"].Single().Location!.Line);
        Assert.All(problems, p => Assert.Equal(TemplateInspector.RequestFile, p.Location!.File));
    }

    [Fact]
    public void Syntax_errors_and_a_missing_parent_are_problems_not_exceptions()
    {
        var (name, syntax) = TemplateInspector.Validate(Library, "workflow {\n  name = x\n  nodes {\n");
        Assert.Null(name);
        Assert.Equal("syntax", Assert.Single(syntax).Code);

        var (_, orphan) = TemplateInspector.Validate(Library, "workflow { name = orphan, extends = nowhere, nodes { a { role = r, prompt = p } } }");
        Assert.Equal("unknown-parent", Assert.Single(orphan).Code);
    }

    [Fact]
    public void Text_from_a_client_reads_neither_the_environment_nor_files()
    {
        Environment.SetEnvironmentVariable("ORCH_INSPECTOR_SECRET", "hunter2");
        var (_, substituted) = TemplateInspector.Validate(Library,
            "workflow {\n  name = leak\n  extends = ${?ORCH_INSPECTOR_SECRET}\n  nodes { a { role = r, prompt = p } }\n}");
        var problem = Assert.Single(substituted);
        Assert.Equal(("substitution", 3), (problem.Code, problem.Location!.Line));
        Assert.DoesNotContain("hunter2", problem.Message);

        var file = Path.GetTempFileName();
        File.WriteAllText(file, "workflow { name = included, nodes { a { role = r, prompt = p } } }");
        try
        {
            var (name, included) = TemplateInspector.Validate(Library, $"include \"{file}\"\n");
            Assert.NotEqual("included", name);
            Assert.NotEmpty(included);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
