using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Tests.Configuration;

public sealed class NodeConfigSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string hocon)
    {
        var path = Path.Combine(_dir, $"node-{Guid.NewGuid():N}.conf");
        System.IO.File.WriteAllText(path, hocon);
        return path;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Defaults_are_a_loopback_node_on_sqlite()
    {
        var settings = NodeSettings.From(NodeConfigLoader.Load(null, Env()));

        Assert.Equal("127.0.0.1", settings.Hostname);
        Assert.Equal("127.0.0.1", settings.Api.Host);
        Assert.Equal(9110, settings.Api.Port);
        Assert.Empty(settings.SeedNodes);
        Assert.Equal(PersistenceProvider.Sqlite, settings.Persistence.Provider);
        Assert.Equal("data/orchestrator.db", settings.Persistence.SqlitePath);
        Assert.Equal(SqliteSynchronous.Full, settings.Persistence.SqliteSynchronous);
    }

    [Fact]
    public void File_overrides_references_and_environment_overrides_the_file()
    {
        var file = File("orchestrator.api.port = 9200\norchestrator.persistence.sqlite.path = \"from-file.db\"");

        var settings = NodeSettings.From(NodeConfigLoader.Load(file, Env(("ORCH_API_PORT", "9300"))));

        Assert.Equal(9300, settings.Api.Port);
        Assert.Equal("from-file.db", settings.Persistence.SqlitePath);
    }

    [Fact]
    public void Unset_environment_variables_leave_the_file_values_alone()
    {
        var file = File("orchestrator.api.host = \"localhost\"");

        var settings = NodeSettings.From(NodeConfigLoader.Load(file, Env()));

        Assert.Equal("localhost", settings.Api.Host);
    }

    [Fact]
    public void Environment_values_are_taken_literally()
    {
        var settings = NodeSettings.From(NodeConfigLoader.Load(null,
            Env(("ORCH_PERSISTENCE_PROVIDER", "postgresql"), ("ORCH_POSTGRES_CONNECTION", "Host=127.0.0.1;Password=a\"b\\c;Database=x"))));

        Assert.Equal(PersistenceProvider.PostgreSql, settings.Persistence.Provider);
        Assert.Equal("Host=127.0.0.1;Password=a\"b\\c;Database=x", settings.Persistence.PostgreSqlConnectionString);
    }

    [Fact]
    public void Value_of_the_wrong_type_names_the_key_and_the_file()
    {
        var file = File("orchestrator {\n  api {\n    port = not-a-port\n  }\n}");

        var error = Assert.Throws<ConfigurationException>(() => NodeSettings.From(NodeConfigLoader.Load(file, Env())));

        Assert.Contains("orchestrator.api.port", error.Message);
        Assert.Contains(file, error.Message);
        Assert.Contains("not-a-port", error.Message);
    }

    [Fact]
    public void Wrong_type_from_the_environment_names_the_variable_layer()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            NodeSettings.From(NodeConfigLoader.Load(null, Env(("ORCH_NODE_PORT", "ninety")))));

        Assert.Contains("orchestrator.node.port", error.Message);
        Assert.Contains("environment", error.Message);
    }

    [Fact]
    public void Unknown_provider_is_refused_with_the_choices()
    {
        var file = File("orchestrator.persistence.provider = mongodb");

        var error = Assert.Throws<ConfigurationException>(() => NodeSettings.From(NodeConfigLoader.Load(file, Env())));

        Assert.Contains("sqlite or postgresql", error.Message);
        Assert.Contains("mongodb", error.Message);
    }

    [Fact]
    public void Postgresql_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            NodeSettings.From(NodeConfigLoader.Load(null, Env(("ORCH_PERSISTENCE_PROVIDER", "postgresql")))));

        Assert.Contains("connection-string", error.Message);
    }

    [Fact]
    public void Binding_the_api_beyond_loopback_requires_a_token()
    {
        var file = File("orchestrator.api.host = \"0.0.0.0\"");

        var error = Assert.Throws<ConfigurationException>(() => NodeSettings.From(NodeConfigLoader.Load(file, Env())));
        Assert.Contains("orchestrator.api.token", error.Message);

        var withToken = NodeSettings.From(NodeConfigLoader.Load(file, Env(("ORCH_API_TOKEN", "s3cret"))));
        Assert.True(withToken.Api.RequiresToken);
        Assert.Equal("s3cret", withToken.Api.Token);
    }

    [Fact]
    public void Hocon_that_cannot_be_resolved_names_the_file()
    {
        var file = File("orchestrator.api.port = ${orchestrator.no-such-key}");

        var error = Assert.Throws<ConfigurationException>(() => NodeConfigLoader.Load(file, Env()));

        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var missing = Path.Combine(_dir, "nope.conf");

        var error = Assert.Throws<ConfigurationException>(() => NodeConfigLoader.Load(missing, Env()));

        Assert.Contains(missing, error.Message);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("akka.tcp://orchestrator@")]
    [InlineData("http://orchestrator@10.0.0.1:9111")]
    [InlineData("akka.tcp://orchestrator@10.0.0.1:99999")]
    public void A_malformed_seed_names_the_key_the_value_and_the_file(string seed)
    {
        var file = File($"orchestrator.node.seed-nodes = [{HoconText.Quote(seed)}]");

        var error = Assert.Throws<ConfigurationException>(() => NodeSettings.From(NodeConfigLoader.Load(file, Env())));

        Assert.Contains("'orchestrator.node.seed-nodes'", error.Message);
        Assert.Contains(seed, error.Message);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_seed_of_another_cluster_name_is_refused_naming_both()
    {
        var file = File("orchestrator.node.seed-nodes = [\"akka.tcp://elsewhere@10.0.0.1:9111\"]");

        var error = Assert.Throws<ConfigurationException>(() => NodeSettings.From(NodeConfigLoader.Load(file, Env())));

        Assert.Contains("'elsewhere'", error.Message);
        Assert.Contains("'orchestrator'", error.Message);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_configured_model_role_is_refused_naming_the_key_the_role_and_the_file()
    {
        var file = File("orchestrator.node.roles = [\"api\", \"model:tiny\"]");

        var error = Assert.Throws<ConfigurationException>(() => NodeSettings.From(NodeConfigLoader.Load(file, Env())));

        Assert.Contains("'orchestrator.node.roles'", error.Message);
        Assert.Contains("'model:tiny'", error.Message);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_node_carries_the_node_role_and_a_quoted_cluster_role_per_served_model_beside_its_own_roles()
    {
        var model = Path.Combine(Path.GetTempPath(), "tiny.gguf");
        var file = File($"orchestrator.node.roles = [\"api\"]\norchestrator.llm.models.tiny {{ path = {HoconText.Quote(model)} }}");

        var settings = NodeSettings.From(NodeConfigLoader.Load(file, Env()));

        Assert.Equal(["orchestrator", "api", "model:tiny"], Orchestrator.Node.Clustering.ClusterHocon.For(settings).GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void Shards_singletons_and_the_split_brain_majority_are_limited_to_the_node_role()
    {
        var hocon = Orchestrator.Node.Clustering.ClusterHocon.For(NodeSettings.From(NodeConfigLoader.Load(File(""), Env())));

        foreach (var key in new[]
                 {
                     "akka.cluster.sharding.role", "akka.cluster.singleton.role", "akka.cluster.singleton-proxy.role",
                     "akka.cluster.pub-sub.role", "akka.cluster.client.receptionist.role",
                     "akka.cluster.split-brain-resolver.keep-majority.role", "akka.cluster.split-brain-resolver.lease-majority.role",
                 })
            Assert.True(hocon.GetString(key) == "orchestrator", $"{key} is '{hocon.GetString(key)}'");
    }
}
