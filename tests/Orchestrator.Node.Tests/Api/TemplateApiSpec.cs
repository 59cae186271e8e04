using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>GET /api/templates/{name}</c> (a template resolved) and <c>POST /api/templates/validate</c> (a template's
/// text checked against the node's library, every problem with its line).</summary>
public sealed class TemplateApiSpec : IAsyncLifetime
{
    private static readonly string Workflows = Path.Combine(RepositoryRoot.Path, "config", "workflows");
    private InProcessNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await InProcessNode.StartAsync($"orchestrator.sessions.templates-path = {HoconText.Quote(Workflows)}");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonElement> Validate(string text)
    {
        var response = await _node.Http.PostAsync("/api/templates/validate", new StringContent(text, Encoding.UTF8, "text/plain"));
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_template_is_shown_resolved_with_variables_settings_and_dependencies()
    {
        var template = await _node.Http.GetFromJsonAsync<JsonElement>("/api/templates/manuscript-review");

        Assert.Equal(["manuscript-review", "base-analysis"], template.GetProperty("lineage").EnumerateArray().Select(e => e.GetString()));
        var variables = template.GetProperty("variables").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.True(variables["MANUSCRIPT"].GetProperty("required").GetBoolean());
        Assert.Equal("English", variables["LANGUAGE"].GetProperty("default").GetString());
        Assert.Equal("quality-score", template.GetProperty("settings").GetProperty("scorerNode").GetString());
        var nodes = template.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(7, nodes.Count);
        Assert.Contains("recommendations", nodes["quality-score"].GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task An_unknown_template_is_a_404_problem()
    {
        var response = await _node.Http.GetAsync("/api/templates/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_shipped_template_s_text_is_valid()
    {
        var result = await Validate(await File.ReadAllTextAsync(Path.Combine(Workflows, "manuscript-review.conf")));

        Assert.True(result.GetProperty("valid").GetBoolean(), result.ToString());
        Assert.Equal("manuscript-review", result.GetProperty("template").GetString());
        Assert.Equal(0, result.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task Every_problem_of_an_invalid_template_is_listed_with_its_line()
    {
        var result = await Validate("""
            workflow {
              name = bad
              extends = base-analysis
              nodes {
                a { role = writer, prompt = "x", depends-on = [b] }
                b { role = writer, prompt = "y", depends-on = [a] }
                c { role = writer, depends-on = [ghost] }
              }
            }
            """);

        Assert.False(result.GetProperty("valid").GetBoolean());
        var problems = result.GetProperty("problems").EnumerateArray()
            .Select(p => (Code: p.GetProperty("code").GetString(), Line: p.GetProperty("line").GetInt32())).ToList();
        Assert.Contains(problems, p => p.Code == "cycle" && p.Line is 5 or 6);
        Assert.Contains(("unknown-dependency", 7), problems);
        Assert.Contains(("invalid-node", 7), problems);
    }

    [Fact]
    public async Task Substitutions_and_includes_are_refused_and_an_empty_body_is_a_400()
    {
        var substituted = await Validate("workflow {\n  name = ${?HOME}\n}");
        Assert.False(substituted.GetProperty("valid").GetBoolean());
        Assert.Equal("substitution", substituted.GetProperty("problems")[0].GetProperty("code").GetString());

        var included = await Validate($"include \"{Path.Combine(Workflows, "manuscript-review.conf")}\"\n");
        Assert.False(included.GetProperty("valid").GetBoolean());
        var said = string.Join(" ", included.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()));
        Assert.DoesNotContain("Object reference", said);
        Assert.DoesNotContain("Exception", said);
        Assert.DoesNotContain(Workflows, said);

        var empty = await _node.Http.PostAsync("/api/templates/validate", new StringContent(" ", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
