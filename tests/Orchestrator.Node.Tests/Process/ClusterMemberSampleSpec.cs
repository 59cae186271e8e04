using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The sample of <c>samples/Orchestrator.Samples.ClusterMember</c>, run as its own process with its own
/// ActorSystem against a real node on the tiny model: as a client-only cluster member (a <c>session</c> region proxy)
/// and through a ClusterClient (the node's session gateway), it starts a session, prints each task's notice and the end
/// with the outputs, and exits 0, the end matching what the node itself says of the session; asked to follow a session
/// that does not exist, it prints the node's not-found answer and exits 1, and the node serves on.</summary>
public sealed class ClusterMemberSampleSpec(ClusterMemberSampleSpec.Node node, ITestOutputHelper output) : IClassFixture<ClusterMemberSampleSpec.Node>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private static string SampleDll => RepositoryRoot.BuiltDll(Path.Combine("samples", "Orchestrator.Samples.ClusterMember"), "Orchestrator.Samples.ClusterMember");

    private async Task<(int ExitCode, string[] Lines, string Transcript)> Sample(params string[] args)
    {
        var (exitCode, stdout, stderr) = await ProcessRunner.RunToExitAsync("dotnet", [SampleDll, .. args], Deadline);
        output.WriteLine($"{string.Join(' ', args)}: exit {exitCode}\n{stdout}");
        return (exitCode, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            $"exit {exitCode}\n{stdout}\n--- stderr ---\n{stderr}\n--- node ---\n{node.Process.Transcript}");
    }

    [Theory]
    [InlineData("member")]
    [InlineData("cluster-client")]
    public async Task The_sample_starts_a_session_follows_its_tasks_and_prints_its_end_with_the_outputs(string mode)
    {
        var (exitCode, lines, transcript) = await Sample(mode, node.Address, "start", "hello", "TOPIC=lighthouses");

        Assert.True(exitCode == 0, transcript);
        var id = lines.Single(l => l.StartsWith("subscribed ")).Split(' ')[1];
        Assert.Contains(lines, l => l.StartsWith("task draft "));
        Assert.Contains(lines, l => l.StartsWith("task polish "));
        var ended = lines.Single(l => l.StartsWith("ended ")).Split(' ')[1];
        Assert.True(ended is "completed" or "failed", transcript);
        // A task that ended without output prints "output polish: ", which the lines have trimmed to "output polish:".
        Assert.Contains(lines, l => l.StartsWith("output draft:"));
        Assert.Contains(lines, l => l.StartsWith("output polish:"));
        var detail = await node.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal(detail.GetProperty("lifecycle").GetString(), ended);
        foreach (var task in detail.GetProperty("tasks").EnumerateArray())
            Assert.Contains($"task {task.GetProperty("id").GetString()} {task.GetProperty("state").GetString()!.Replace("_", "")}", lines);
    }

    [Theory]
    [InlineData("member")]
    [InlineData("cluster-client")]
    public async Task Following_an_unknown_session_prints_not_found_exits_1_and_the_node_serves_on(string mode)
    {
        var (exitCode, lines, transcript) = await Sample(mode, node.Address, "follow", "no-such-session");

        Assert.True(exitCode == 1, transcript);
        Assert.Contains("not found: no-such-session", lines);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await node.Http.GetAsync("/api/sessions/no-such-session")).StatusCode);
        Assert.True((await node.Http.GetAsync("/health/ready")).IsSuccessStatusCode, transcript);
    }

    [Fact]
    public async Task Bad_arguments_print_the_usage_and_exit_2()
    {
        var (exitCode, _, transcript) = await Sample("member", "not-an-address", "start", "hello");

        Assert.True(exitCode == 2, transcript);
        Assert.Contains("usage:", transcript);
    }

    /// <summary>A node on the tiny model with a two-task template <c>hello</c> and its session gateway on.</summary>
    public sealed class Node : IAsyncLifetime
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("orch-cluster-member-").FullName;
        private readonly int _remotingPort = FreePort.Next();

        public NodeProcess Process { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        /// <summary>The node's Akka address, as the sample takes it.</summary>
        public string Address => $"akka.tcp://orchestrator@127.0.0.1:{_remotingPort}";

        public async Task InitializeAsync()
        {
            var model = Path.Combine(_dir, "tiny.gguf");
            TinyModel.Write(model, TinyModelSpec.Tiny);
            var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
            await File.WriteAllTextAsync(Path.Combine(workflows, "hello.conf"), """
                workflow {
                  name = hello
                  variables { TOPIC { default = "the sea" } }
                  settings { retry-base-delay = 100ms, retry-max-delay = 200ms }
                  nodes {
                    draft { role = writer, prompt = "Write a line about {TOPIC}." }
                    polish { role = writer, prompt = "Polish it: {output.draft}", depends-on = [draft] }
                  }
                }
                """);
            var config = Path.Combine(_dir, "node.conf");
            await File.WriteAllTextAsync(config, $"""
                {TinyModelNode.Config(model, ["writer"], sequences: 2)}
                orchestrator.sessions.templates-path = {HoconText.Quote(workflows)}
                orchestrator.sessions.max-tokens = 48
                orchestrator.persistence.sqlite.path = {HoconText.Quote(Path.Combine(_dir, "node.db"))}
                orchestrator.cluster.session-gateway = on
                """);
            Process = NodeProcess.Start(_dir, new Dictionary<string, string> { ["ORCH_NODE_PORT"] = _remotingPort.ToString() }, "--config", config);
            await Process.WaitUntilReadyAsync(Deadline);
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Process.ApiPort}") };
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Process.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
