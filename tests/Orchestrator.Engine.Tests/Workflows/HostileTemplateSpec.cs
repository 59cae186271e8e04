using System.Text;
using Orchestrator.Engine.Workflows;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary>Hostile and clumsy template text: too deep, too large, cut short by a stray bracket, a key set twice, an
/// unknown key, an <c>include</c>. Each is a problem with its line, found before Akka's parser sees the text (a deep
/// text overflowed its stack and killed the process), in linear time and under a deadline that stops the work.</summary>
public sealed class HostileTemplateSpec
{
    private static readonly TemplateLibrary Library = HoconTemplateLoader.Load([]);

    private static (string? Name, IReadOnlyList<Orchestrator.Core.Validation.TemplateProblem> Problems) Validate(string text,
        TemplateTextLimits? limits = null) => TemplateInspector.Validate(Library, text, limits);

    private static string NestedObjects(int depth)
    {
        var sb = new StringBuilder("workflow {\n  x ");
        for (var i = 0; i < depth; i++) sb.Append("{ a ");
        sb.Append("= 1 ");
        for (var i = 0; i < depth; i++) sb.Append('}');
        return sb.Append("\n}\n").ToString();
    }

    [Theory]
    [InlineData('[')]
    [InlineData('{')]
    public void Thirty_thousand_nested_brackets_are_a_problem_at_their_line_not_a_crash(char bracket)
    {
        var text = bracket == '['
            ? "workflow {\n  name = deep\n  x = " + new string('[', 30_000) + new string(']', 30_000) + "\n}\n"
            : NestedObjects(30_000).Replace("workflow {\n", "workflow {\n  name = deep\n");

        var (name, problems) = Validate(text);

        Assert.Null(name);
        var problem = Assert.Single(problems);
        Assert.Equal(("too-deep", 3), (problem.Code, problem.Location!.Line));
        Assert.Contains("64 levels", problem.Message);
    }

    [Fact]
    public void The_pre_scan_is_linear_in_depth_and_in_key_length()
    {
        // Objects 20,000 deep (the old scan took 106 s at 4,000), then a 200,000-segment dotted key with 20,000 siblings.
        var deep = NestedObjects(20_000);
        var keys = new StringBuilder("workflow {\n  ").Append(string.Join('.', Enumerable.Repeat("k", 200_000))).Append(" {\n");
        for (var i = 0; i < 20_000; i++) keys.Append("    s").Append(i).Append(" = 1\n");
        keys.Append("  }\n}\n");
        var limits = new TemplateTextLimits(long.MaxValue, int.MaxValue, TimeSpan.FromSeconds(5));

        foreach (var text in new[] { deep, keys.ToString() })
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var scan = HoconPreScan.Run(text, "big.conf", limits, deadline.Token); // throws when the 2 s pass first
            Assert.False(scan.Refused, string.Join("\n", scan.Problems));
        }
    }

    [Fact]
    public void The_pre_scan_stops_inside_its_loop_when_the_deadline_passes()
    {
        var text = "workflow {\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"  k{i} = {i}\n")) + "}\n";
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            HoconPreScan.Run(text, "slow.conf", new TemplateTextLimits(long.MaxValue, int.MaxValue, TimeSpan.FromSeconds(5)), cancelled.Token));
        var (name, problems) = TemplateInspector.Validate(Library, text, cancel: cancelled.Token);
        Assert.Null(name);
        Assert.Equal("deadline", Assert.Single(problems).Code);
    }

    [Fact]
    public void A_template_over_the_size_limit_is_refused_at_the_line_where_it_passes_the_limit()
    {
        var text = "workflow {\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"  # comment line {i,3} ....................\n")) + "}\n";
        var limits = TemplateTextLimits.Default with { MaxBytes = 1000 };

        var (name, problems) = Validate(text, limits);

        Assert.Null(name);
        var problem = Assert.Single(problems);
        Assert.Equal(("too-large", text.AsSpan(0, 1000).Count('\n') + 1), (problem.Code, problem.Location!.Line));
        Assert.Contains("1000 bytes", problem.Message);

        var folder = Directory.CreateTempSubdirectory("orch-templates-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "huge.conf"), text);
            var library = HoconTemplateLoader.LoadDirectory(folder, limits: limits);
            Assert.Equal("too-large", Assert.Single(library.Problems).Code);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("workflow {\n  name = cut\n  nodes { a { role = r, prompt = p } }\n}\n}\nworkflow.nodes.b { role = r, prompt = q }\n", 5)]
    [InlineData("workflow {\n  name = cut\n  nodes { a { role = r, prompt = p } }\n}\n]\nworkflow.nodes.b { role = r, prompt = q }\n", 5)]
    public void A_stray_closing_bracket_is_refused_with_its_line_instead_of_cutting_the_template_short(string text, int line)
    {
        var (name, problems) = Validate(text);

        Assert.Null(name);
        var problem = Assert.Single(problems);
        Assert.Equal(("syntax", line), (problem.Code, problem.Location!.Line));
        Assert.Contains("closes nothing", problem.Message);
    }

    [Fact]
    public void A_key_set_twice_in_one_object_is_refused_with_both_lines()
    {
        var (_, problems) = Validate("""
            workflow {
              name = twice
              nodes {
                a { role = r, prompt = p }
                a { role = s, prompt = q }
                b { role = r, prompt = p, prompt = q }
              }
            }
            """);

        var duplicates = problems.Where(p => p.Code == "duplicate-key").ToList();
        Assert.Equal([5, 6], duplicates.Select(p => p.Location!.Line));
        Assert.Contains("first at line 4", duplicates[0].Message);
    }

    [Fact]
    public void The_same_key_in_sibling_objects_of_a_list_or_under_dotted_paths_is_not_a_duplicate()
    {
        var (name, problems) = Validate("""
            workflow {
              name = fine
              settings.max-iterations = 2
              settings.quality-threshold = 0.5
              nodes {
                a { role = r, prompt = p, council { members = [{ name = x, role = r }, { name = y, role = r }] } }
              }
            }
            """);

        Assert.Equal("fine", name);
        Assert.Empty(problems);
    }

    [Fact]
    public void An_unknown_key_beside_the_workflow_is_refused_with_its_line()
    {
        var (_, problems) = Validate("workflow { name = w, nodes { a { role = r, prompt = p } } }\nworkfow { nodes { b { role = r } } }\n");

        var problem = Assert.Single(problems);
        Assert.Equal(("unknown-key", 2), (problem.Code, problem.Location!.Line));
        Assert.Contains("'workfow'", problem.Message);
    }

    [Fact]
    public void An_include_is_refused_with_its_line_and_no_exception_text()
    {
        var (name, problems) = Validate("workflow { name = w, nodes { a { role = r, prompt = p } } }\ninclude \"other.conf\"\n");

        Assert.Null(name);
        var problem = Assert.Single(problems);
        Assert.Equal(("include", 2), (problem.Code, problem.Location!.Line));
        Assert.DoesNotContain("Object reference", problem.Message);
    }

    [Theory]
    [InlineData("workflow {\n  name = \"never closed\n}\n", 2)]
    [InlineData("workflow {\n  name = w\n  description = \"\"\"never closed\n}\n", 3)]
    [InlineData("workflow {\n  name = w\n  nodes\n}\n", 3)]
    [InlineData("workflow {\n  name = ${?HOME\n}\n", 2)]
    [InlineData("workflow {\n  name = w\n  nodes { a { role = r, prompt = p }\n", 3)]
    [InlineData("workflow {\n  name = [a, b}\n}\n", 2)]
    public void Text_the_parser_would_misread_is_refused_with_its_line(string text, int line)
    {
        var (name, problems) = Validate(text);

        Assert.Null(name);
        var problem = Assert.Single(problems);
        Assert.Equal(("syntax", line), (problem.Code, problem.Location!.Line));
    }
}
