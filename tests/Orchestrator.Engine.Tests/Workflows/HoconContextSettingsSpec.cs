using Orchestrator.Core.Context;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Workflows;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary><c>settings { context { ... } }</c> in HOCON templates: read, inherited through <c>extends</c>, and every
/// problem reported with its file and line.</summary>
public class HoconContextSettingsSpec
{
    private const string Base = """
        workflow {
          name = base
          abstract = true
          settings {
            context {
              share-history = on
              max-chars = 6000
              summarize-above = 3000
              summarizer-role = editor
              language = French
            }
          }
        }
        """;

    private const string Child = """
        workflow {
          name = child
          extends = base
          settings {
            context {
              language = German
              keep-recent-turns = 4
            }
          }
          nodes {
            a { role = analyst, prompt = "go" }
          }
        }
        """;

    [Fact]
    public void Context_settings_are_read_and_a_child_overrides_only_what_it_names()
    {
        var library = HoconTemplateLoader.Load([("base.conf", Base), ("child.conf", Child)]);
        Assert.True(library.IsValid, string.Join("\n", library.Problems));

        var resolution = TemplateResolver.Resolve("child", library.Templates, new Dictionary<string, string>());

        Assert.True(resolution.IsValid, string.Join("\n", resolution.Problems));
        Assert.Equal(new SessionContextSettings(true, new ContextSettings(6000, 3000, "editor", "German", 4)), resolution.Workflow!.Settings.Context);
    }

    [Fact]
    public void Off_is_the_default_and_no_block_means_no_context()
    {
        var library = HoconTemplateLoader.Load([
            ("plain.conf", """workflow { nodes { a { role = analyst, prompt = "go" } } }"""),
            ("spoken.conf", """
                workflow {
                  settings { context { language = Spanish } }
                  nodes { a { role = analyst, prompt = "go" } }
                }
                """),
        ]);
        Assert.True(library.IsValid, string.Join("\n", library.Problems));

        Assert.Null(TemplateResolver.Resolve("plain", library.Templates, null).Workflow!.Settings.Context);
        var spoken = TemplateResolver.Resolve("spoken", library.Templates, null).Workflow!.Settings.Context!;
        Assert.False(spoken.ShareHistory);
        Assert.Equal("Spanish", spoken.Limits.Language);
    }

    [Fact]
    public void Every_context_problem_is_listed_with_its_line()
    {
        const string text = """
            workflow {
              settings {
                context {
                  share-history = maybe
                  max-chars = 50
                  keep-recent-turns = -2
                  summarise-above = 10
                }
              }
              nodes { a { role = analyst, prompt = "go" } }
            }
            """;

        var problems = HoconTemplateLoader.Load([("bad.conf", text)]).Problems;

        Assert.Contains(problems, p => p.Code == "invalid-value" && p.Message.Contains("share-history") && p.Location!.Line == 4);
        Assert.Contains(problems, p => p.Code == "unknown-key" && p.Message.Contains("summarise-above") && p.Location!.Line == 7);
        Assert.Contains(problems, p => p.Code == "invalid-setting" && p.Message.Contains("max-chars must be at least 200, not 50"));
        Assert.Contains(problems, p => p.Code == "invalid-setting" && p.Message.Contains("keep-recent-turns must not be negative, not -2"));
        Assert.All(problems.Where(p => p.Code == "invalid-setting"), p => Assert.Equal(new SourceLocation("bad.conf", 3), p.Location));
    }
}
