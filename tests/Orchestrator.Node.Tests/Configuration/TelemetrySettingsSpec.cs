using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests.Configuration;

/// <summary><c>orchestrator.telemetry</c>: read once at start with its defaults in reference.conf, a wrong value refused
/// naming the key and the file, and OpenTelemetry registered only for the exporters asked for.</summary>
public sealed class TelemetrySettingsSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string hocon)
    {
        var path = Path.Combine(_dir, $"node-{Guid.NewGuid():N}.conf");
        System.IO.File.WriteAllText(path, hocon);
        return path;
    }

    private static TelemetrySettings Load(string? file, Func<string, string?>? environment = null) =>
        NodeSettings.From(NodeConfigLoader.Load(file, environment ?? (_ => null))).Telemetry;

    private static IServiceProvider Registered(TelemetrySettings settings) =>
        new ServiceCollection().AddLogging().AddOrchestratorTelemetry(settings).BuildServiceProvider();

    [Fact]
    public void By_default_nothing_is_exported_and_no_provider_is_registered()
    {
        var settings = Load(null);

        Assert.Equal(new TelemetrySettings(null, false, "orchestrator"), settings);
        Assert.False(settings.Exports);
        var services = Registered(settings);
        Assert.Null(services.GetService<TracerProvider>());
        Assert.Null(services.GetService<MeterProvider>());
    }

    [Fact]
    public void A_file_or_the_environment_sets_the_endpoint_and_the_console()
    {
        var fromFile = Load(File("""orchestrator.telemetry { otlp-endpoint = "http://127.0.0.1:4317", console = on, service-name = "orch-a" }"""));
        var fromEnvironment = Load(null, v => v == "ORCH_OTLP_ENDPOINT" ? "https://collector.example:4318" : null);

        Assert.Equal(new TelemetrySettings(new Uri("http://127.0.0.1:4317"), true, "orch-a"), fromFile);
        Assert.Equal(new Uri("https://collector.example:4318"), fromEnvironment.OtlpEndpoint);
    }

    [Theory]
    [InlineData("console = on")]
    [InlineData("otlp-endpoint = \"http://127.0.0.1:4317\"")]
    public void Either_exporter_registers_tracing_and_metrics(string hocon)
    {
        using var services = (ServiceProvider)Registered(Load(File($"orchestrator.telemetry {{ {hocon} }}")));

        Assert.NotNull(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1:4317")]
    [InlineData("127.0.0.1:4317")]
    [InlineData("/v1/traces")]
    public void A_malformed_endpoint_is_refused_naming_the_key_and_the_file(string endpoint)
    {
        var file = File($"orchestrator.telemetry.otlp-endpoint = \"{endpoint}\"");

        var e = Assert.Throws<ConfigurationException>(() => Load(file));

        Assert.Contains("'orchestrator.telemetry.otlp-endpoint'", e.Message);
        Assert.Contains(file, e.Message);
        Assert.Contains($"got '{endpoint}'", e.Message);
    }

    [Fact]
    public void An_empty_service_name_or_a_console_that_is_not_a_flag_is_refused_naming_the_key()
    {
        var name = Assert.Throws<ConfigurationException>(() => Load(File("orchestrator.telemetry.service-name = \"\"")));
        var console = Assert.Throws<ConfigurationException>(() => Load(File("orchestrator.telemetry.console = loud")));

        Assert.Contains("'orchestrator.telemetry.service-name'", name.Message);
        Assert.Contains("orchestrator.telemetry.console", console.Message);
    }
}
