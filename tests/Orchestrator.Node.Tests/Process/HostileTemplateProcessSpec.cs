using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Engine.Tests.Workflows;
using Orchestrator.Engine.Workflows;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Process;

/// <summary>Hostile template text against a real node process: 30,000 nested '[' sent to
/// <c>/api/templates/validate</c> used to overflow the stack of Akka's parser and kill the node; a template file that a
/// stray '}' cut short used to start the node with what was left; random and hostile HOCON and JSON sent to every
/// endpoint that reads a body leave it answering each request within a bound.</summary>
public sealed class HostileTemplateProcessSpec(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    /// <summary>Each answer comes within the template read's own deadline and a margin for a loaded machine.</summary>
    private static readonly TimeSpan Bound = TemplateTextLimits.Default.Deadline + TimeSpan.FromSeconds(10);

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

    [Fact]
    public async Task Random_and_hostile_hocon_and_json_to_every_body_leave_the_node_answering_each_within_the_bound()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "workflows"));
        await using var node = NodeProcess.Start(_dir, Environment());
        await node.WaitUntilReadyAsync(Startup);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}"), Timeout = Bound };
        var sample = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "config", "workflows", "manuscript-review.conf"));
        var generator = new HostileHoconGenerator(HostileHoconGenerator.Seed, sample);
        // Each kind of text eight times to the HOCON parser (wrapped differently each time), once to each JSON body.
        string[] paths = [.. Enumerable.Repeat("/api/templates/validate", 8), "/api/sessions", "/api/agents", "/api/councils"];
        output.WriteLine($"seed {HostileHoconGenerator.Seed} (ORCH_FUZZ_SEED replays it)");

        for (var round = 0; round < HostileHoconGenerator.Kinds.Length * paths.Length; round++)
        {
            var kind = HostileHoconGenerator.Kinds[round % HostileHoconGenerator.Kinds.Length];
            var path = paths[round / HostileHoconGenerator.Kinds.Length];
            var text = generator.Next(kind);
            var where = $"seed {HostileHoconGenerator.Seed}, round {round}, {kind} to {path}, {text.Length} chars: {text[..Math.Min(text.Length, 120)]}";
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(path, new StringContent(text, Encoding.UTF8, path.EndsWith("validate") ? "text/plain" : "application/json"));
            }
            catch (TaskCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no answer within {Bound.TotalSeconds} s at {where}\n{node.Transcript}");
            }
            catch (HttpRequestException e)
            {
                throw new Xunit.Sdk.XunitException($"the node did not answer ({e.Message}) at {where}\n{node.Transcript}");
            }
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{response.StatusCode} at {where}: {body}\n{node.Transcript}");
            Assert.False(body.Contains("Exception") || body.Contains("Object reference"), $"{body} at {where}");
        }

        Assert.True((await http.GetAsync("/health/ready")).IsSuccessStatusCode, node.Transcript);
    }
}
