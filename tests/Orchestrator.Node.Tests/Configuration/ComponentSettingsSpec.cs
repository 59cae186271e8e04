using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Tests.Configuration;

/// <summary>The sessions', agents' and lessons' settings are read once at start from the node's layers, with their
/// defaults only in reference.conf, and a wrong value stops the start naming the key and the file.</summary>
public sealed class ComponentSettingsSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string hocon)
    {
        var path = Path.Combine(_dir, $"node-{Guid.NewGuid():N}.conf");
        System.IO.File.WriteAllText(path, hocon);
        return path;
    }

    private static NodeSettings Load(string? file) => NodeSettings.From(NodeConfigLoader.Load(file, _ => null));

    [Fact]
    public void Defaults_come_from_the_reference_configuration()
    {
        var settings = Load(null);

        Assert.Equal(("config/workflows", 16, 500, 1024, TimeSpan.FromMinutes(1), (uint?)null),
            (settings.Sessions.TemplatesPath, settings.Sessions.MaxTasksInFlight, settings.Sessions.SnapshotEvery, settings.Sessions.MaxTokens,
                settings.Sessions.FinishedIdle, settings.Sessions.Seed));
        Assert.Equal(new AgentsSettings(0.2, 0.1, 2, TimeSpan.FromSeconds(5), 200), settings.Agents);
        Assert.Equal(new LessonsSettings(1, true, 8, 400, 100_000, 1.0, 3, TimeSpan.FromMilliseconds(300), 500), settings.Lessons);
        Assert.Equal(new JournalProbeSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)), settings.JournalProbe);
    }

    [Fact]
    public void The_journal_probe_interval_comes_from_a_file_or_the_environment()
    {
        var fromFile = NodeSettings.From(NodeConfigLoader.Load(File("orchestrator.node.journal-probe-interval = 750ms"), _ => null));
        var fromEnvironment = NodeSettings.From(NodeConfigLoader.Load(null, v => v == "ORCH_JOURNAL_PROBE_INTERVAL" ? "3s" : null));

        Assert.Equal(TimeSpan.FromMilliseconds(750), fromFile.JournalProbe.Interval);
        Assert.Equal(TimeSpan.FromSeconds(3), fromEnvironment.JournalProbe.Interval);
    }

    [Fact]
    public void A_file_sets_them()
    {
        var settings = Load(File("""
            orchestrator.sessions { max-tasks-in-flight = 4, seed = 7, models-by-role { editor = qwen } }
            orchestrator.agents.moving-average-alpha = 0.5
            orchestrator.agents.max-agents = 50
            orchestrator.lessons.inject = 0
            """));

        Assert.Equal(4, settings.Sessions.MaxTasksInFlight);
        Assert.Equal(7u, settings.Sessions.Seed);
        Assert.Equal("qwen", settings.Sessions.ModelsByRole!["editor"]);
        Assert.Equal(0.5, settings.Agents.MovingAverageAlpha);
        Assert.Equal(50, settings.Agents.MaxAgents);
        Assert.Equal(0, settings.Lessons.Inject);
    }

    [Theory]
    [InlineData("orchestrator.sessions.max-tasks-in-flight", "0")]
    [InlineData("orchestrator.sessions.max-tokens", "lots")]
    [InlineData("orchestrator.sessions.seed", "-1")]
    [InlineData("orchestrator.agents.moving-average-alpha", "0")]
    [InlineData("orchestrator.agents.health-interval", "soon")]
    [InlineData("orchestrator.lessons.max-lessons", "0")]
    [InlineData("orchestrator.lessons.from-critiques", "maybe")]
    [InlineData("orchestrator.node.journal-probe-interval", "0s")]
    [InlineData("orchestrator.node.journal-probe-timeout", "soon")]
    public void A_wrong_value_names_the_key_and_the_file(string key, string value)
    {
        var file = File($"{key} = {value}");

        var error = Assert.Throws<ConfigurationException>(() => Load(file));

        Assert.Contains(key, error.Message);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void Models_are_read_over_the_model_defaults_with_hosting_and_probe()
    {
        var settings = Load(File("""
            orchestrator.llm.models {
              small { path = "models/small.gguf", sequences = 2, context-size = 1024 }
              other { path = "/abs/other.gguf", threads = 3 }
            }
            orchestrator.llm.model-defaults.queue-size = 8
            """)).Models;

        var models = settings.Models.ToDictionary(m => m.Name);
        Assert.Equal((2, 1024, 512, 8), (models["small"].Sequences, models["small"].ContextSize, models["small"].BatchSize, models["small"].QueueSize));
        Assert.Equal((3, 4, 4096, true), (models["other"].Threads, models["other"].Sequences, models["other"].ContextSize, models["other"].KvUnified));
        Assert.Equal(ModelHostingMode.Process, settings.Hosting);
        Assert.Equal((true, "data/model-probes", TimeSpan.FromMinutes(2)), (settings.ProbeNewModels, settings.ProbeCachePath, settings.ProbeTimeout));
        Assert.Empty(Load(null).Models.Models);
    }

    [Theory]
    [InlineData("orchestrator.llm.hosting = elsewhere", "orchestrator.llm.hosting")]
    [InlineData("orchestrator.llm.models.m { path = \"m.gguf\", sequences = 0 }", "orchestrator.llm.models.m.sequences")]
    [InlineData("orchestrator.llm.models.m { path = \"m.gguf\", sequences = 64, context-size = 512 }", "orchestrator.llm.models.m")]
    [InlineData("orchestrator.llm.models.m { sequences = 2 }", "orchestrator.llm.models.m.path")]
    [InlineData("orchestrator.llm.models.\"../x\" { path = \"m.gguf\" }", "orchestrator.llm.models")]
    [InlineData("orchestrator.llm.model-defaults.threads = many\norchestrator.llm.models.m { path = \"m.gguf\" }", "orchestrator.llm.model-defaults.threads")]
    [InlineData("orchestrator.llm.probe.timeout = 0s", "orchestrator.llm.probe.timeout")]
    public void A_wrong_model_setting_names_the_key_and_the_file(string hocon, string key)
    {
        var file = File(hocon);

        var error = Assert.Throws<ConfigurationException>(() => Load(file));

        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(file, error.Message);
    }
}
