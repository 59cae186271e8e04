using Akka.Actor;

namespace Orchestrator.Llama.Pool;

/// <summary>Starts a <see cref="ModelManager"/> at <c>/user/models</c>.</summary>
public static class ModelManagerExtensions
{
    /// <summary>The actor name of the manager (<c>/user/models</c>).</summary>
    public const string ActorName = "models";

    /// <summary>Starts a <see cref="ModelManager"/> serving <paramref name="models"/> at <c>/user/models</c> and returns it;
    /// pools run where <paramref name="hosting"/> says (in this process when null).</summary>
    public static IActorRef StartModelManager(this ActorSystem system, IEnumerable<PoolSettings> models, Probe.ModelProbe? probe = null,
        ModelHosting? hosting = null) =>
        system.ActorOf(ModelManager.Props(models, probe: probe, hosting: hosting), ActorName);
}
