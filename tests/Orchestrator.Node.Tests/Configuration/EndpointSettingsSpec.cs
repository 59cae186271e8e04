using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Tests.Configuration;

/// <summary><c>orchestrator.llm.endpoints</c>: models served by OpenAI-compatible endpoints, read and checked at start,
/// the key only ever from the environment.</summary>
public sealed class EndpointSettingsSpec
{
    private static ModelsSettings Read(string hocon) => ModelsSettings.From(NodeConfigLoader.FromText(hocon));

    [Fact]
    public void An_endpoint_is_served_beside_the_local_models_under_its_own_name()
    {
        var models = Read("""orchestrator.llm.endpoints.big { url = "http://10.0.0.5:8000/v1", model = "Qwen2.5-7B", max-concurrent = 3 }""");

        var endpoint = Assert.Single(models.Endpoints);
        Assert.Equal("big", endpoint.Name);
        Assert.Equal("Qwen2.5-7B", endpoint.RemoteModel);
        Assert.Equal(new Uri("http://10.0.0.5:8000/v1"), endpoint.Url);
        Assert.Equal(3, models.Served["big"]);
    }

    [Theory]
    [InlineData("""orchestrator.llm.endpoints.big { url = "ftp://x/v1" }""", "orchestrator.llm.endpoints.big.url")]
    [InlineData("""orchestrator.llm.endpoints.big { url = "not a url" }""", "orchestrator.llm.endpoints.big.url")]
    [InlineData("""orchestrator.llm.endpoints.big { url = "http://x/v1", api-key-env = ORCH_TEST_SURELY_UNSET_KEY }""", "ORCH_TEST_SURELY_UNSET_KEY")]
    [InlineData("""
        orchestrator.llm.models.big { path = "models/big.gguf" }
        orchestrator.llm.endpoints.big { url = "http://x/v1" }
        """, "also a local model")]
    public void A_wrong_endpoint_is_refused_naming_the_key(string hocon, string named)
    {
        var e = Assert.Throws<ConfigurationException>(() => Read(hocon));

        Assert.Contains(named, e.Message);
    }
}
