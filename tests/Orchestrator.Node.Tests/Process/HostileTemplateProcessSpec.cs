using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>Hostile template text against a real node process: 30,000 nested '[' sent to
/// <c>/api/templates/validate</c> used to overflow the stack of Akka's parser and kill the node; a template file that a
/// stray '}' cut short used to start the node with what was left.</summary>
public sealed class HostileTemplateProcessSpec : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Environment() => new()
    {
        ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "orchestrator.db"),
        ["ORCH_TEMPLATES_PATH"] = Path.Combine(_dir, "workflows"),
    };

    [Fact]
    public async Task The_node_answers_after_validating_thirty_thousand_nested_brackets()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "workflows"));
        await using var node = NodeProcess.Start(_dir, Environment());
        await node.WaitUntilReadyAsync(Startup);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}"), Timeout = TimeSpan.FromSeconds(30) };

        var body = "workflow { x = " + new string('[', 30_000) + new string(']', 30_000) + " }";
        var response = await http.PostAsync("/api/templates/validate", new StringContent(body, Encoding.UTF8, "text/plain"));

        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}\n{node.Transcript}");
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("valid").GetBoolean());
        var problem = result.GetProperty("problems")[0];
        Assert.Equal(("too-deep", 1), (problem.GetProperty("code").GetString(), problem.GetProperty("line").GetInt32()));
        Assert.True((await http.GetAsync("/health/ready")).IsSuccessStatusCode, node.Transcript);
    }

    [Fact]
    public async Task A_node_refuses_to_start_on_a_template_a_stray_brace_cuts_short()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "cut.conf"),
            "workflow {\n  name = cut\n  nodes { a { role = r, prompt = p } }\n}\n}\nworkflow.nodes.b { role = r, prompt = q }\n");

        await using var node = NodeProcess.Start(_dir, Environment());

        Assert.Equal(2, await node.WaitForExitAsync(Startup));
        Assert.Contains("cut.conf:5:", node.Transcript);
        Assert.Contains("closes nothing", node.Transcript);
    }
}
