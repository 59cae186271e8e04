using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Persistence;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workflows;
using Orchestrator.Llama.Endpoints;
using Orchestrator.Llama.Pool;
using Orchestrator.Llama.Probe;
using Orchestrator.Llama.Processes;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Hosting;

/// <summary>The node's sessions: its model manager (<c>/user/models</c>, serving <c>orchestrator.llm.models</c>) and the
/// model router in front of it (<c>/user/model-router</c>, where sessions send <c>Generate</c>: here or to another node), the
/// workflow templates of <c>orchestrator.sessions.templates-path</c>, the council directory (<c>/user/councils</c>), the
/// agent registry (<c>/user/agents</c>) and the lesson store (<c>/user/lessons</c>) as cluster singletons, the
/// <c>session</c> shard region, the session directory, the live feed with its relay of other nodes' token chunks, and the
/// in-process <see cref="OrchestratorClient"/>.</summary>
public static class SessionsSetup
{
    /// <summary>Registers the live feed, the dispatch slots and the client, and returns the template library read now,
    /// so that a node whose templates are broken refuses to start with every problem listed. Whether the node serves
    /// the roles a template's councils need is checked when a session of it starts, so one template the node cannot
    /// run does not keep it from serving the others.</summary>
    public static IServiceCollection AddSessionServices(this IServiceCollection services, SessionsSettings settings)
    {
        var path = settings.TemplatesPath;
        var library = Directory.Exists(path)
            ? HoconTemplateLoader.LoadDirectory(path, limits: settings.TemplateLimits)
            : new TemplateLibrary(new Dictionary<string, WorkflowTemplate>(), []);
        if (!library.IsValid)
            throw new ConfigurationException(
                $"Workflow templates in '{Path.GetFullPath(path)}' have problems:\n" +
                string.Join("\n", library.Problems.Select(p => $"  {p.Location?.File}:{p.Location?.Line}: {p.Message}")));
        services.AddSingleton(library);
        services.AddSingleton(settings.TemplateLimits);
        services.AddSingleton(new LiveFeed<SessionLiveEvent>());
        services.AddSingleton(sp => new OrchestratorClient(
            sp.GetRequiredService<IRequiredActor<SessionRegion>>().ActorRef, sp.GetRequiredService<LiveFeed<SessionLiveEvent>>(),
            directory: sp.GetRequiredService<IRequiredActor<SessionDirectory>>().ActorRef,
            tokenRelay: sp.GetRequiredService<IRequiredActor<SessionTokenRelay>>().ActorRef));
        return services;
    }

    /// <summary>The models this node serves, or null when it serves none: a node without models (kept for its API, tests)
    /// holds no model to what it serves.</summary>
    private static IReadOnlySet<string>? ServedHere(ModelsSettings models) =>
        models.Served.Count == 0 ? null : models.Served.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The node's own file, run again as a model host or a model probe.</summary>
    private static string NodeDll => typeof(SessionsSetup).Assembly.Location;

    /// <summary>The model manager of <paramref name="models"/>: pools where <c>hosting</c> says, new model files probed
    /// in a child process when <c>probe.new-models</c> is on and the node has a file to run.</summary>
    private static IActorRef StartModels(ActorSystem system, ModelsSettings models) =>
        system.StartModelManager(models.Models,
            models.ProbeNewModels && NodeChildCommand.CanRun(NodeDll) ? ModelProbe.ForNode(NodeDll, models.ProbeCachePath, models.ProbeTimeout) : null,
            ModelHosting.Choose(models.Hosting == ModelHostingMode.Process, NodeDll),
            models.Endpoints.Select(e => EndpointModel.Served(e, Models.EndpointClients.OpenAiCompatible(e))));

    /// <summary>Starts the model manager, the council directory, the agent registry and lesson store singletons, the
    /// session directory and the <c>session</c> shard region, and the session gateway when
    /// <c>orchestrator.cluster.session-gateway</c> is on.</summary>
    /// <param name="builder">The node's Akka.Hosting builder.</param>
    /// <param name="services">The node's services (template library, live feed, dispatch slots).</param>
    /// <param name="config">The node's configuration.</param>
    /// <param name="settings">The node's settings, read once at its start.</param>
    /// <param name="models">Starts the actor that serves <c>Generate</c> for every model (benchmarks put an instant
    /// model there); by default the model manager of <c>orchestrator.llm.models</c>.</param>
    public static AkkaConfigurationBuilder AddSessionsAndModels(this AkkaConfigurationBuilder builder, IServiceProvider services, NodeConfig config,
        NodeSettings settings, Func<ActorSystem, IActorRef>? models = null)
    {
        var sessions = settings.Sessions;
        var agents = settings.Agents;
        var lessons = settings.Lessons;
        var modelsByRole = sessions.ModelsByRole;
        // Sessions are held to serving models (once this node or a member has some); models given by code serve everything.
        var serving = models is null ? services.GetService<ModelServingView>() : null;
        var live = services.GetRequiredService<LiveFeed<SessionLiveEvent>>();
        builder.WithActors((system, registry) => registry.Register<ModelManager>(models?.Invoke(system)
            ?? StartModels(system, settings.Models)));
        // Models given by code (benchmarks) serve every model name themselves; the node's own go through its router.
        if (models is null)
            builder.AddModelRouter((_, registry) => (registry.Get<ModelManager>(),
                settings.Models.Served.Keys.ToHashSet(StringComparer.Ordinal),
                ModelRouterSettings.Default with { LoadInterval = settings.Models.LoadInterval }));
        IActorRef ModelsOf(IActorRegistry registry) => models is null ? registry.Get<ModelRouter>() : registry.Get<ModelManager>();
        builder
            .AddCouncilDirectory(serving, ReplyPage)
            .AddAgentRegistry((system, registry) => (AgentSettings(services, settings.Models, agents, modelsByRole),
                new AgentRegistryOptions(agents.HealthInterval, agents.SnapshotEvery, ReplyPage: ReplyPage(system)), registry.Get<ModelManager>(),
                models is null ? registry.Get<ModelRouter>() : null))
            .AddDecisionEngine((_, registry) => (
                new DecisionEngineSettings(sessions.MaxTasksInFlight, AgentSettings(services, settings.Models, agents, modelsByRole), modelsByRole,
                    ServedHere(settings.Models), settings.Models.Served, agents.HealthInterval),
                registry.Get<AgentRegistryProxy>(),
                models is null ? registry.Get<ModelManager>() : null, // models given by code (benchmarks) are always alive
                models is null ? registry.Get<ModelRouter>() : null,
                serving))
            .AddLessonStore(
                new LessonPolicy(lessons.MinFailures, lessons.FromCritiques, lessons.MinTextChars, lessons.ExcerptChars, lessons.MaxLessons,
                    lessons.MinRelevance),
                new LessonStoreOptions(lessons.SnapshotEvery), ReplyPage)
            .AddSessionDirectory(JournalFeed, live)
            .AddSessionTokenRelay(live)
            .AddSessions((system, registry) => new SessionRuntime(
                services.GetRequiredService<TemplateLibrary>().Templates,
                ModelsOf(registry),
                registry.Get<DecisionEngine>(),
                services.GetRequiredService<LiveFeed<SessionLiveEvent>>(),
                modelsByRole,
                SnapshotEvery: sessions.SnapshotEvery,
                MaxTokens: sessions.MaxTokens,
                Sampling: sessions.Seed is { } seed ? new ModelMessages.SamplingOptions(Seed: seed) : null,
                Councils: registry.Get<CouncilDirectory>(),
                Agents: registry.Get<AgentRegistryProxy>(),
                Lessons: new LessonInjection(registry.Get<LessonStoreProxy>(), lessons.Inject, lessons.AskTimeout),
                FinishedIdleTimeout: sessions.FinishedIdle,
                TokenTopics: SessionTokenTopics.For(system),
                MaxInterruptions: sessions.MaxInterruptedAttempts,
                MaxInputBytes: sessions.MaxInputBytes,
                Serving: serving,
                DetailPage: ReplyPage(system)));
        return settings.Cluster.SessionGateway ? builder.AddSessionGateway() : builder;
    }

    /// <summary>The journal's events tagged for the node-wide feed, read by the session directory. The read journal is
    /// made at the first read: it starts an actor that polls the database for the highest ordering.</summary>
    /// <summary>How much one reply of a session or of the agent registry carries: what fits the node's remoting frame.</summary>
    private static ReplyPageSize ReplyPage(ActorSystem system) =>
        ReplyPageSize.ForFrame(system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") ?? 128_000);

    private static JournalFeed JournalFeed(ActorSystem system)
    {
        var journal = new Lazy<SqlReadJournal>(() => ReadJournals.For<SqlReadJournal>(system));
        return new JournalFeed(
            after => journal.Value.CurrentEventsByTag(PersistenceHocon.FeedTag, Offset.Sequence(after)),
            after => journal.Value.EventsByTag(PersistenceHocon.FeedTag, Offset.Sequence(after)));
    }

    /// <summary>The registry's checks: the models of <c>orchestrator.llm.models</c>, the roles of the templates (their
    /// nodes', and their councils' and chats' agents') and of <c>models-by-role</c>, and the learning weights of
    /// <c>orchestrator.agents</c>.</summary>
    private static AgentRegistrySettings AgentSettings(IServiceProvider services, ModelsSettings served, AgentsSettings agents,
        IReadOnlyDictionary<string, string>? modelsByRole)
    {
        var models = served.Served.Keys.ToHashSet(StringComparer.Ordinal);
        var roles = services.GetRequiredService<TemplateLibrary>().Templates.Values.SelectMany(t => t.Nodes)
            .SelectMany(n => (n.Council?.Agents() ?? []).Concat(n.Chat?.Agents() ?? []).Select(a => a.Role).Append(n.AgentRole))
            .Concat(modelsByRole?.Keys ?? []).Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal);
        return new AgentRegistrySettings(models, roles, agents.MovingAverageAlpha, agents.CapacityWeight, agents.PriorWeight,
            ExplorationWeight: agents.ExplorationWeight, LatencyWeight: agents.LatencyWeight, MaxAgents: agents.MaxAgents);
    }
}
