using Akka.Actor;
using Akka.Configuration;

namespace Orchestrator.Llama.Pool;

/// <summary>Starts the node's <see cref="ModelManager"/> at <c>/user/models</c> from configuration.</summary>
public static class ModelManagerExtensions
{
    /// <summary>The actor name of the manager (<c>/user/models</c>).</summary>
    public const string ActorName = "models";

    /// <summary>Starts a <see cref="ModelManager"/> serving <c>orchestrator.llm.models</c> of <paramref name="config"/>
    /// (the system's own configuration when null) and returns it; model hosts run <paramref name="nodeDll"/>.</summary>
    public static IActorRef StartModelManager(this ActorSystem system, Config? config = null, Probe.ModelProbe? probe = null,
        string? nodeDll = null) =>
        system.ActorOf(ModelManager.PropsFromConfig(config ?? system.Settings.Config, probe, nodeDll), ActorName);
}
