namespace Orchestrator.Cli.Tests;

/// <summary><c>orch health</c>: the node's readiness and, when it is not ready, the reason it gives, with exit code 1;
/// <c>orch cluster show</c> gives the same reason under its table.</summary>
public sealed class HealthCommandSpec
{
    [Fact]
    public async Task Not_ready_prints_the_reason_and_exits_1()
    {
        const string reason = "not ready: SQLite database '/var/lib/orch/orchestrator.db' does not take a write (SQLite Error 8: 'attempt to write a readonly database')";
        await using var node = new FakeNode(c => FakeNode.Json(c, $$"""{"status":"not-ready","detail":"{{reason}}"}""", 503));

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "health");

        Assert.True(code == 1, $"exit {code}: {stdout}{stderr}");
        Assert.Equal("GET /health/ready", Assert.Single(node.Requests));
        Assert.Contains("Not ready", stdout);
        Assert.Contains(reason, stdout.ReplaceLineEndings("").Replace("\n", ""));
    }

    [Fact]
    public async Task Ready_prints_the_detail_and_exits_0()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, """{"status":"ready","detail":"member akka.tcp://orchestrator@127.0.0.1:9111 Up; journal answering"}"""));

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "health");

        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("Ready", stdout);
        Assert.Contains("journal answering", stdout);
    }

    [Fact]
    public async Task Json_prints_the_document_as_it_came()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, """{"status":"not-ready","detail":"waiting"}""", 503));

        var (code, stdout, _) = await OrchProcess.Run(node.Address, "health", "--json");

        Assert.Equal(1, code);
        Assert.Contains("\"status\": \"not-ready\"", stdout);
    }

    [Fact]
    public async Task Cluster_show_prints_why_the_node_is_not_ready_under_its_table()
    {
        const string reason = "not ready: PostgreSQL database 'orchestrator' at 127.0.0.1:5432 does not take a write (Failed to connect)";
        await using var node = new FakeNode(c => c.Request.Url!.AbsolutePath == "/health/ready"
            ? FakeNode.Json(c, $$"""{"status":"not-ready","detail":"{{reason}}"}""", 503)
            : FakeNode.Json(c, """
                {"self":"akka.tcp://orchestrator@127.0.0.1:9111","leader":"akka.tcp://orchestrator@127.0.0.1:9111",
                 "members":[{"address":"akka.tcp://orchestrator@127.0.0.1:9111","status":"Up","roles":[],"reachable":true,"isLeader":true,"isSelf":true}]}
                """));

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "cluster", "show");

        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("(this node)", stdout);
        Assert.Contains("This node is not ready", stdout);
        Assert.Contains(reason, stdout.ReplaceLineEndings(""));
    }
}
