using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workflows;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Hosting;

/// <summary>The node's sessions: its model manager (<c>/user/models</c>, serving <c>orchestrator.llm.models</c>), the
/// workflow templates of <c>orchestrator.sessions.templates-path</c>, the agent registry (<c>/user/agents</c>) and the
/// lesson store (<c>/user/lessons</c>) as cluster singletons, the <c>session</c> shard region, the live feed and the
/// in-process <see cref="OrchestratorClient"/>.</summary>
public static class SessionsSetup
{
    /// <summary>Registers the live feed, the dispatch slots and the client, and returns the template library read now,
    /// so that a node whose templates are broken refuses to start with every problem listed.</summary>
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
            sp.GetRequiredService<IRequiredActor<SessionRegion>>().ActorRef, sp.GetRequiredService<LiveFeed<SessionLiveEvent>>()));
        return services;
    }

    /// <summary>Starts the model manager, the agent registry and lesson store singletons, and the <c>session</c> shard region.</summary>
    public static AkkaConfigurationBuilder AddSessionsAndModels(this AkkaConfigurationBuilder builder, IServiceProvider services, NodeConfig config)
    {
        var c = config.Config;
        var modelsByRole = c.GetConfig("orchestrator.sessions.models-by-role") is { IsEmpty: false } roles
            ? roles.AsEnumerable().ToDictionary(kv => kv.Key, kv => kv.Value.GetString(), StringComparer.Ordinal)
            : null;
        return builder
            .WithActors((system, registry) => registry.Register<ModelManager>(system.StartModelManager()))
            .AddAgentRegistry((_, registry) => (AgentSettings(services, c, modelsByRole), AgentRegistryOptions.FromConfig(c), registry.Get<ModelManager>()))
            .AddLessonStore(c)
            .AddSessions((_, registry) => new SessionRuntime(
                services.GetRequiredService<TemplateLibrary>().Templates,
                registry.Get<ModelManager>(),
                services.GetRequiredService<NodeDispatchSlots>(),
                services.GetRequiredService<LiveFeed<SessionLiveEvent>>(),
                modelsByRole,
                SnapshotEvery: c.GetInt("orchestrator.sessions.snapshot-every"),
                MaxTokens: c.GetInt("orchestrator.sessions.max-tokens"),
                Agents: registry.Get<AgentRegistryProxy>(),
                Lessons: LessonInjection.FromConfig(registry.Get<LessonStoreProxy>(), c)));
    }

    /// <summary>The registry's checks: the models of <c>orchestrator.llm.models</c>, the roles of the templates and of
    /// <c>models-by-role</c>, and the learning weights of <c>orchestrator.agents</c>.</summary>
    private static AgentRegistrySettings AgentSettings(IServiceProvider services, Akka.Configuration.Config c, IReadOnlyDictionary<string, string>? modelsByRole)
    {
        var models = c.GetConfig("orchestrator.llm.models") is { IsEmpty: false } m
            ? m.AsEnumerable().Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var roles = services.GetRequiredService<TemplateLibrary>().Templates.Values.SelectMany(t => t.Nodes).Select(n => n.AgentRole)
            .Concat(modelsByRole?.Keys ?? []).Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal);
        return new AgentRegistrySettings(models, roles,
            c.GetDouble("orchestrator.agents.moving-average-alpha", 0.2), c.GetDouble("orchestrator.agents.capacity-weight", 0.1),
            c.GetDouble("orchestrator.agents.prior-weight", 2));
    }
}
