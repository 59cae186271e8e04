using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>docker-compose.yml and the Dockerfile run a cluster the nodes accept: checked against
/// hocon/cluster-node.conf and environment.conf, since no Docker engine runs here.</summary>
public sealed class ComposeFileSpec
{
    private static readonly string Root = RepositoryRoot.Path;

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Root, .. path]));

    private static readonly IReadOnlySet<string> Known =
        ComposeClusterCheck.KnownVariables(Read("src", "Orchestrator.Node", "environment.conf"));

    private static readonly DockerfileImage Image = DockerfileImage.Parse(Read("Dockerfile"));

    private static ComposeFile Compose() =>
        ComposeFile.Parse(Read("docker-compose.yml"), name => name == "ORCH_API_TOKEN" ? "compose-spec-token" : null);

    private static IReadOnlyList<string> Problems(ComposeFile compose) => ComposeClusterCheck.Problems(compose, Image, Root, Known);

    private static ComposeFile Change(ComposeFile compose, string service, Func<ComposeService, ComposeService> change) =>
        compose with { Services = compose.Services.Select(s => s.Name == service ? change(s) : s).ToArray() };

    private static ComposeService WithEnv(ComposeService s, string name, string value) =>
        s with { Environment = new Dictionary<string, string>(s.Environment) { [name] = value } };

    [Fact]
    public void The_compose_file_runs_three_nodes_on_postgres_that_the_nodes_accept()
    {
        var compose = Compose();

        Assert.Empty(Problems(compose));
        Assert.Equal(["node1", "node2", "node3"], compose.Services.Where(s => s.Built).Select(s => s.Name));
        var postgres = compose.Service("postgres")!;
        Assert.Equal("postgres:15", postgres.Image);
        Assert.Contains("pg_isready", postgres.HealthCheck);
        Assert.Equal("0.0.0.0", compose.Service("node2")!.Environment["ORCH_API_HOST"]);
        Assert.Equal("compose-spec-token", compose.Service("node2")!.Environment["ORCH_API_TOKEN"]);
    }

    [Fact]
    public void The_api_token_must_come_from_the_environment()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ComposeFile.Parse(Read("docker-compose.yml"), _ => null));

        Assert.Contains("ORCH_API_TOKEN", error.Message);
    }

    [Fact]
    public void A_node_whose_seeds_are_in_another_order_is_a_problem()
    {
        var compose = Change(Compose(), "node2", s =>
            WithEnv(s, ComposeClusterCheck.Seeds, string.Join(',', s.Environment[ComposeClusterCheck.Seeds].Split(',').Reverse())));

        Assert.Contains(Problems(compose), p => p.StartsWith($"node2: {ComposeClusterCheck.Seeds}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_seed_port_other_than_the_nodes_port_is_a_problem()
    {
        var compose = Change(Compose(), "node3", s => WithEnv(s, ComposeClusterCheck.NodePort, "9112"));

        Assert.Contains(Problems(compose), p => p.Contains("node3's ORCH_NODE_PORT is 9112", StringComparison.Ordinal));
    }

    [Fact]
    public void A_variable_the_node_does_not_read_is_a_problem()
    {
        var compose = Change(Compose(), "node1", s => WithEnv(s, "ORCH_NODE_HOST", "node1"));

        Assert.Contains(Problems(compose), p => p.StartsWith("node1: ORCH_NODE_HOST is not read", StringComparison.Ordinal));
    }

    [Fact]
    public void Publishing_anything_but_node1s_api_on_loopback_is_a_problem()
    {
        var published = Change(Compose(), "node2", s => s with { Ports = ["9110:9110"] });
        var everywhere = Change(Compose(), "node1", s => s with { Ports = ["9110:9110"] });

        Assert.Contains(Problems(published), p => p.StartsWith("node2: publishes", StringComparison.Ordinal));
        Assert.Contains(Problems(everywhere), p => p.StartsWith("node1: publishes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_healthcheck_on_another_port_or_without_the_token_is_a_problem()
    {
        var otherPort = Change(Compose(), "node3", s => s with { HealthCheck = s.HealthCheck!.Replace(":9110/", ":9111/") });
        var noToken = Change(Compose(), "node3", s => s with { HealthCheck = "curl -fsS http://127.0.0.1:9110/health/ready" });

        Assert.Contains(Problems(otherPort), p => p.StartsWith("node3: the healthcheck asks port 9111", StringComparison.Ordinal));
        Assert.Contains(Problems(noToken), p => p.StartsWith("node3: the API has a token", StringComparison.Ordinal));
    }

    [Fact]
    public void A_config_file_the_image_lacks_is_a_problem()
    {
        var compose = Change(Compose(), "node1", s => s with { Command = ["--config", "/app/hocon/missing.conf"] });

        Assert.Contains(Problems(compose), p => p.StartsWith("node1: --config /app/hocon/missing.conf", StringComparison.Ordinal));
    }

    [Fact]
    public void Exposed_ports_other_than_the_nodes_ports_are_a_problem()
    {
        var compose = Change(Compose(), "node1", s => WithEnv(s, ComposeClusterCheck.ApiPort, "9200"));

        Assert.Contains(Problems(compose), p => p.StartsWith("Dockerfile: EXPOSE", StringComparison.Ordinal));
    }
}
