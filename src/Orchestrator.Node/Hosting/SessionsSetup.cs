using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Models;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workflows;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Hosting;

/// <summary>The node's sessions: its model manager (<c>/user/models</c>, serving <c>orchestrator.llm.models</c>), the
/// workflow templates of <c>orchestrator.sessions.templates-path</c>, the council directory (<c>/user/councils</c>), the
/// agent registry (<c>/user/agents</c>) and the lesson store (<c>/user/lessons</c>) as cluster singletons, the
/// <c>session</c> shard region, the session directory, the live feed and the in-process <see cref="OrchestratorClient"/>.</summary>
public static class SessionsSetup
{
    /// <summary>Registers the live feed, the dispatch slots and the client, and returns the template library read now,
    /// so that a node whose templates are broken refuses to start with every problem listed. Whether the node serves
    /// the roles a template's councils need is checked when a session of it starts, so one template the node cannot
    /// run does not keep it from serving the others.</summary>
    public static IServiceCollection AddSessionServices(this IServiceCollection services, NodeConfig config)
    {
        var c = config.Config;
        var path = c.GetString("orchestrator.sessions.templates-path");
        var library = Directory.Exists(path)
            ? HoconTemplateLoader.LoadDirectory(path)
            : new TemplateLibrary(new Dictionary<string, WorkflowTemplate>(), []);
        if (!library.IsValid)
            throw new ConfigurationException(
                $"Workflow templates in '{Path.GetFullPath(path)}' have problems:\n" +
                string.Join("\n", library.Problems.Select(p => $"  {p.Location?.File}:{p.Location?.Line}: {p.Message}")));
        services.AddSingleton(library);
        services.AddSingleton(new LiveFeed<SessionLiveEvent>());
        services.AddSingleton(new NodeDispatchSlots(c.GetInt("orchestrator.sessions.max-tasks-in-flight")));
        services.AddSingleton(sp => new OrchestratorClient(
            sp.GetRequiredService<IRequiredActor<SessionRegion>>().ActorRef, sp.GetRequiredService<LiveFeed<SessionLiveEvent>>(),
            directory: sp.GetRequiredService<IRequiredActor<SessionDirectory>>().ActorRef));
        return services;
    }

    /// <summary>The agents this node can run: the models of <c>orchestrator.llm.models</c> and
    /// <c>orchestrator.sessions.models-by-role</c>. Null when the node serves no model at all: then nothing can run, and
    /// sessions are not held to roles (a node without models still serves its API, for tests).</summary>
    public static AgentCatalog? Agents(NodeConfig config)
    {
        var models = ConfiguredModels(config.Config);
        if (models.Count == 0) return null;
        return new AgentCatalog(models, ModelsByRole(config) ?? new Dictionary<string, string>());
    }

    /// <summary>The names of <c>orchestrator.llm.models</c>.</summary>
    private static HashSet<string> ConfiguredModels(Akka.Configuration.Config c) =>
        c.GetConfig("orchestrator.llm.models") is { IsEmpty: false } m
            ? m.Root.GetObject().Items.Keys.ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    private static Dictionary<string, string>? ModelsByRole(NodeConfig config) =>
        config.Config.GetConfig("orchestrator.sessions.models-by-role") is { IsEmpty: false } roles
            ? roles.AsEnumerable().ToDictionary(kv => kv.Key, kv => kv.Value.GetString(), StringComparer.Ordinal)
            : null;

    /// <summary>Starts the model manager, the council directory, the agent registry and lesson store singletons, the
    /// session directory and the <c>session</c> shard region.</summary>
    /// <param name="builder">The node's Akka.Hosting builder.</param>
    /// <param name="services">The node's services (template library, live feed, dispatch slots).</param>
    /// <param name="config">The node's configuration.</param>
    /// <param name="models">Starts the actor that serves <c>Generate</c> for every model (benchmarks put an instant
    /// model there); by default the model manager of <c>orchestrator.llm.models</c>.</param>
    public static AkkaConfigurationBuilder AddSessionsAndModels(this AkkaConfigurationBuilder builder, IServiceProvider services, NodeConfig config,
        Func<ActorSystem, IActorRef>? models = null)
    {
        var c = config.Config;
        var modelsByRole = ModelsByRole(config);
        var catalog = Agents(config);
        var live = services.GetRequiredService<LiveFeed<SessionLiveEvent>>();
        return builder
            .WithActors((system, registry) => registry.Register<ModelManager>(models?.Invoke(system)
                ?? system.StartModelManager(probe: Orchestrator.Llama.Probe.ModelProbe.FromConfig(c, typeof(SessionsSetup).Assembly.Location))))
            .AddCouncilDirectory(catalog)
            .AddAgentRegistry((_, registry) => (AgentSettings(services, c, modelsByRole), AgentRegistryOptions.FromConfig(c), registry.Get<ModelManager>()))
            .AddLessonStore(c)
            .AddSessionDirectory(JournalFeed, live)
            .AddSessions((_, registry) => new SessionRuntime(
                services.GetRequiredService<TemplateLibrary>().Templates,
                registry.Get<ModelManager>(),
                services.GetRequiredService<NodeDispatchSlots>(),
                services.GetRequiredService<LiveFeed<SessionLiveEvent>>(),
                modelsByRole,
                SnapshotEvery: c.GetInt("orchestrator.sessions.snapshot-every"),
                MaxTokens: c.GetInt("orchestrator.sessions.max-tokens"),
                Sampling: SessionSeed(config) is { } seed ? new ModelMessages.SamplingOptions(Seed: seed) : null,
                Councils: registry.Get<CouncilDirectory>(),
                Catalog: catalog,
                Agents: registry.Get<AgentRegistryProxy>(),
                Lessons: LessonInjection.FromConfig(registry.Get<LessonStoreProxy>(), c),
                FinishedIdleTimeout: NodeSettings.Duration(config, "orchestrator.sessions.finished-idle")));
    }

    /// <summary>The journal's events tagged for the node-wide feed, read by the session directory. The read journal is
    /// made at the first read: it starts an actor that polls the database for the highest ordering.</summary>
    private static JournalFeed JournalFeed(ActorSystem system)
    {
        var journal = new Lazy<SqlReadJournal>(() => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier));
        return new JournalFeed(
            after => journal.Value.CurrentEventsByTag(PersistenceHocon.FeedTag, Offset.Sequence(after)),
            after => journal.Value.EventsByTag(PersistenceHocon.FeedTag, Offset.Sequence(after)));
    }

    /// <summary>The configured <c>orchestrator.sessions.seed</c>, or null when sessions sample at random.</summary>
    private static uint? SessionSeed(NodeConfig config)
    {
        const string path = "orchestrator.sessions.seed";
        if (!config.Config.HasPath(path)) return null;
        var seed = config.Read(path, (x, p) => x.GetLong(p), "a seed 0-4294967295");
        return seed is >= 0 and <= uint.MaxValue
            ? (uint)seed
            : throw new ConfigurationException($"Configuration key '{path}' in {config.OriginOf(path)}: expected a seed 0-4294967295, got {seed}.");
    }

    /// <summary>The registry's checks: the models of <c>orchestrator.llm.models</c>, the roles of the templates and of
    /// <c>models-by-role</c>, and the learning weights of <c>orchestrator.agents</c>.</summary>
    private static AgentRegistrySettings AgentSettings(IServiceProvider services, Akka.Configuration.Config c, IReadOnlyDictionary<string, string>? modelsByRole)
    {
        var models = ConfiguredModels(c);
        var roles = services.GetRequiredService<TemplateLibrary>().Templates.Values.SelectMany(t => t.Nodes).Select(n => n.AgentRole)
            .Concat(modelsByRole?.Keys ?? []).Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal);
        return new AgentRegistrySettings(models, roles,
            c.GetDouble("orchestrator.agents.moving-average-alpha", 0.2), c.GetDouble("orchestrator.agents.capacity-weight", 0.1),
            c.GetDouble("orchestrator.agents.prior-weight", 2));
    }
}
