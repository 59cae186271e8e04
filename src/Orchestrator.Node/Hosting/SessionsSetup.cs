using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workflows;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Hosting;

/// <summary>The node's sessions: its model manager (<c>/user/models</c>, serving <c>orchestrator.llm.models</c>), the
/// workflow templates of <c>orchestrator.sessions.templates-path</c>, the <c>session</c> shard region, the live feed and
/// the in-process <see cref="OrchestratorClient"/>, and the council directory (a cluster singleton behind
/// <c>/user/councils</c>).</summary>
public static class SessionsSetup
{
    /// <summary>Registers the live feed, the dispatch slots and the client, and returns the template library read now,
    /// so that a node whose templates are broken refuses to start with every problem listed.</summary>
    public static IServiceCollection AddSessionServices(this IServiceCollection services, NodeConfig config)
    {
        var c = config.Config;
        var path = c.GetString("orchestrator.sessions.templates-path");
        var library = Directory.Exists(path)
            ? HoconTemplateLoader.LoadDirectory(path, Agents(config))
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

    /// <summary>The agents this node can run: the models of <c>orchestrator.llm.models</c> and
    /// <c>orchestrator.sessions.models-by-role</c>. Null when the node serves no model at all: then nothing can run, and
    /// templates are not held to roles (a node without models still starts, for its API and tests).</summary>
    public static AgentCatalog? Agents(NodeConfig config)
    {
        var c = config.Config;
        var models = c.GetConfig("orchestrator.llm.models") is { IsEmpty: false } m
            ? m.Root.GetObject().Items.Keys.ToHashSet(StringComparer.Ordinal)
            : [];
        if (models.Count == 0) return null;
        return new AgentCatalog(models, ModelsByRole(config) ?? new Dictionary<string, string>());
    }

    private static Dictionary<string, string>? ModelsByRole(NodeConfig config) =>
        config.Config.GetConfig("orchestrator.sessions.models-by-role") is { IsEmpty: false } roles
            ? roles.AsEnumerable().ToDictionary(kv => kv.Key, kv => kv.Value.GetString(), StringComparer.Ordinal)
            : null;

    /// <summary>Starts the model manager, the council directory and the <c>session</c> shard region.</summary>
    public static AkkaConfigurationBuilder AddSessionsAndModels(this AkkaConfigurationBuilder builder, IServiceProvider services, NodeConfig config)
    {
        var c = config.Config;
        var modelsByRole = ModelsByRole(config);
        return builder
            .WithActors((system, registry) => registry.Register<ModelManager>(system.StartModelManager()))
            .AddCouncilDirectory(Agents(config))
            .AddSessions((_, registry) => new SessionRuntime(
                services.GetRequiredService<TemplateLibrary>().Templates,
                registry.Get<ModelManager>(),
                services.GetRequiredService<NodeDispatchSlots>(),
                services.GetRequiredService<LiveFeed<SessionLiveEvent>>(),
                modelsByRole,
                SnapshotEvery: c.GetInt("orchestrator.sessions.snapshot-every"),
                MaxTokens: c.GetInt("orchestrator.sessions.max-tokens"),
                Councils: registry.Get<CouncilDirectory>()));
    }
}
