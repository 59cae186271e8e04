using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The node as a real process: readiness, SIGTERM, and the conflicts a second node must name.</summary>
public sealed class NodeLifecycleSpec : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-node-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Sqlite(string file = "data/orchestrator.db") => new() { ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, file) };

    [Fact]
    public async Task Node_becomes_ready_on_embedded_defaults_and_SIGTERM_exits_0()
    {
        await using var node = NodeProcess.Start(_dir, Sqlite());

        await node.WaitUntilReadyAsync(Startup);
        await node.WaitForLineAsync(l => l.Contains("Orchestrator node ready in"), Startup);
        Assert.True(File.Exists(Path.Combine(_dir, "data", "orchestrator.db")));

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Second_node_on_the_same_sqlite_file_fails_naming_the_file()
    {
        await using var first = NodeProcess.Start(_dir, Sqlite());
        await first.WaitUntilReadyAsync(Startup);

        await using var second = NodeProcess.Start(_dir, Sqlite());

        Assert.Equal(2, await second.WaitForExitAsync(Startup));
        Assert.Contains(Path.Combine(_dir, "data", "orchestrator.db"), second.Transcript);
        Assert.Contains("in use by another Orchestrator node", second.Transcript);
    }

    [Fact]
    public async Task Second_node_on_the_same_api_port_fails_naming_the_port()
    {
        await using var first = NodeProcess.Start(_dir, Sqlite("a.db"));
        await first.WaitUntilReadyAsync(Startup);

        var env = Sqlite("b.db");
        env["ORCH_API_PORT"] = first.ApiPort.ToString();
        await using var second = NodeProcess.Start(_dir, env);

        Assert.Equal(2, await second.WaitForExitAsync(Startup));
        Assert.Contains($"127.0.0.1:{first.ApiPort} is already in use", second.Transcript);
        Assert.Contains("orchestrator.api.port", second.Transcript);
    }

    [Fact]
    public async Task Wrong_configuration_value_stops_the_start_naming_key_and_source()
    {
        var env = Sqlite();
        env["ORCH_API_PORT"] = "nine";
        await using var node = NodeProcess.Start(_dir, env);

        Assert.Equal(2, await node.WaitForExitAsync(Startup));
        Assert.Contains("orchestrator.api.port", node.Transcript);
        Assert.Contains("environment", node.Transcript);
    }

    [Fact]
    public async Task Unreachable_database_keeps_the_node_not_ready_until_it_answers()
    {
        var port = FreePort.Next();
        var env = new Dictionary<string, string>
        {
            ["ORCH_PERSISTENCE_PROVIDER"] = "postgresql",
            ["ORCH_POSTGRES_CONNECTION"] = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=2",
        };
        await using var node = NodeProcess.Start(_dir, env);

        await node.WaitForLineAsync(l => l.Contains("Node not ready") && l.Contains($"127.0.0.1:{port} is unreachable"), Startup);
        using (var http = new HttpClient())
        {
            var response = await http.GetAsync($"http://127.0.0.1:{node.ApiPort}/health/ready");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("unreachable", await response.Content.ReadAsStringAsync());
        }

        await using var database = await PostgresServer.StartAsync(port);
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }
}
