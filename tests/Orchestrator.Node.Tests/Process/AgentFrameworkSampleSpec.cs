using System.Text.RegularExpressions;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The Microsoft Agent Framework sample (<c>samples/Orchestrator.Samples.AgentFramework</c>) run as a process, as
/// a user runs it, against a real node process serving the generated tiny model <c>tiny</c> behind a token: its agent
/// answers whole and streamed; a model the node does not serve, a node that does not answer and a wrong argument end it
/// with a clear message and a non-zero exit code, never a stack trace.</summary>
public sealed class AgentFrameworkSampleSpec(AgentFrameworkSampleSpec.TinyNode node, ITestOutputHelper output)
    : IClassFixture<AgentFrameworkSampleSpec.TinyNode>
{
    private const string Token = "agent-sesame";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>A node process serving <c>tiny</c> behind <see cref="Token"/>, shared by the specs of the class.</summary>
    public sealed class TinyNode : IAsyncLifetime
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("orch-agent-framework-").FullName;
        private NodeProcess? _process;

        /// <summary>The node's base URL.</summary>
        public string Url => $"http://127.0.0.1:{_process!.ApiPort}";

        public async Task InitializeAsync()
        {
            var model = Path.Combine(_dir, "tiny.gguf");
            TinyModel.Write(model, TinyModelSpec.Tiny);
            var config = Path.Combine(_dir, "node.conf");
            await File.WriteAllTextAsync(config, $$"""
                orchestrator.llm.hosting = in-process
                orchestrator.llm.probe.cache-path = {{HoconText.Quote(Path.Combine(_dir, "probes"))}}
                orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 2048, sequences = 2, threads = 1 }
                orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(_dir, "node.db"))}}
                orchestrator.api.token = {{HoconText.Quote(Token)}}
                """);
            _process = NodeProcess.Start(_dir, null, "--config", config);
            // Its readiness probe wants the token too: its ready line says it is.
            await _process.WaitForLineAsync(line => line.Contains("Orchestrator node ready in", StringComparison.Ordinal), Deadline);
        }

        public async Task DisposeAsync()
        {
            if (_process is not null) await _process.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<ProcessRunner.Outcome> RunSampleAsync(params string[] args)
    {
        var run = await ProcessRunner.RunToExitAsync("dotnet",
            [RepositoryRoot.BuiltDll(Path.Combine("samples", "Orchestrator.Samples.AgentFramework"), "Orchestrator.Samples.AgentFramework"), .. args],
            Deadline);
        output.WriteLine($"exit {run.ExitCode}\n--- stdout ---\n{run.Stdout}\n--- stderr ---\n{run.Stderr}");
        return run;
    }

    [Fact]
    public async Task The_agent_answers_whole_and_streamed_on_the_node_s_model()
    {
        var run = await RunSampleAsync("--url", node.Url, "--model", "tiny", "--token", Token, "--max-tokens", "8");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        var lines = run.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("reply: ", StringComparison.Ordinal));
        var streamed = lines.Select(l => Regex.Match(l, @"^streamed: (\d+) updates$")).SingleOrDefault(m => m.Success);
        Assert.True(streamed is not null, $"no 'streamed: N updates' line in:\n{run.Stdout}");
        Assert.True(int.Parse(streamed.Groups[1].Value) > 0, streamed.Value);
    }

    [Fact]
    public async Task A_model_the_node_does_not_serve_ends_the_sample_with_the_node_s_refusal_not_a_stack_trace()
    {
        var run = await RunSampleAsync("--url", node.Url, "--model", "gpt-9", "--token", Token);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: the node refused the request: HTTP 404", run.Stderr);
        Assert.Contains("gpt-9", run.Stderr);
        Assert.Contains("tiny", run.Stderr); // the node names the models it serves
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("reply:", run.Stdout);
    }

    [Fact]
    public async Task A_node_that_does_not_answer_ends_the_sample_with_a_one_line_error()
    {
        var run = await RunSampleAsync("--url", $"http://127.0.0.1:{FreePort.Next()}", "--model", "tiny");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: no answer from http://127.0.0.1:", run.Stderr);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--max-tokens", "zero", "--max-tokens must be a whole number")]
    [InlineData("--url", "127.0.0.1:9110", "--url must be an http:// or https:// URL")]
    [InlineData("--colour", "red", "unknown argument '--colour'")]
    [InlineData("--token", null, "--token needs a value")]
    public async Task A_wrong_argument_is_a_usage_error_with_exit_code_2(string name, string? value, string message)
    {
        var run = await RunSampleAsync(value is null ? ["--model", "tiny", name] : ["--model", "tiny", name, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: {message}", run.Stderr);
        Assert.Contains("usage: ", run.Stderr);
        Assert.Empty(run.Stdout);
    }
}
