using Orchestrator.Engine.Workflows;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary>A node's <c>resources</c> and <c>kind</c> are read from HOCON; a malformed scope is a problem at its line.</summary>
public class HoconTemplateResourcesSpec
{
    [Fact]
    public void Resources_and_kind_are_read_into_the_node()
    {
        var library = HoconTemplateLoader.Load([("t.conf", """
            workflow {
              nodes {
                edit { role = coder, prompt = "edit", resources = ["file:src/a.cs", "key:x"], kind = "code-edit" }
                read { role = coder, prompt = "read" }
              }
            }
            """)]);

        Assert.True(library.IsValid, string.Join("\n", library.Problems));
        var nodes = library.Templates["t"].Nodes.ToDictionary(n => n.Id);
        Assert.Equal(["file:src/a.cs", "key:x"], nodes["edit"].Resources!);
        Assert.Equal("code-edit", nodes["edit"].Kind);
        Assert.Null(nodes["read"].Resources);
        Assert.Null(nodes["read"].Kind);
    }

    [Fact]
    public void A_malformed_resource_is_a_problem_at_its_line()
    {
        var library = HoconTemplateLoader.Load([("t.conf", """
            workflow {
              nodes {
                edit {
                  role = coder, prompt = "edit"
                  resources = ["src/a.cs"]
                }
              }
            }
            """)]);

        var problem = Assert.Single(library.Problems, p => p.Code == "invalid-resource");
        Assert.Contains("kind:value", problem.Message);
        Assert.Equal(5, problem.Location?.Line);
    }
}
