using Akka;
using Akka.Actor;

namespace Orchestrator.Llama.Pool;

/// <summary>Starts a <see cref="ModelManager"/> at <c>/user/models</c>.</summary>
public static class ModelManagerExtensions
{
    /// <summary>The actor name of the manager (<c>/user/models</c>).</summary>
    public const string ActorName = "models";

    /// <summary>Starts a <see cref="ModelManager"/> serving <paramref name="models"/> at <c>/user/models</c> and returns it;
    /// pools run where <paramref name="hosting"/> says (in this process when null), the models of
    /// <paramref name="external"/> through their own actors. As the system stops, its model hosts
    /// are stopped before its actors and remoting are (<see cref="CoordinatedShutdown.PhaseBeforeActorSystemTerminate"/>,
    /// after the sessions have left): a host that stops while the node's remoting does drops the connection between
    /// them, which both log as a failure.</summary>
    public static IActorRef StartModelManager(this ActorSystem system, IEnumerable<PoolSettings> models, Probe.ModelProbe? probe = null,
        ModelHosting? hosting = null, IEnumerable<ExternalModel>? external = null)
    {
        var manager = system.ActorOf(ModelManager.Props(models, probe: probe, hosting: hosting, external: external), ActorName);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "stop-model-hosts", async () =>
        {
            // A manager stopped before (a test's) answers nothing: its death ends the wait too.
            using var stopped = new CancellationTokenSource(HostsStopTimeout);
            var answered = manager.Ask<Done>(new ModelManager.StopModelHosts(ModelHostProcess.StopGrace), HostsStopTimeout);
            await Task.WhenAny(answered, manager.WatchAsync(stopped.Token));
            return Done.Instance; // past the timeout the phase goes on; a host still running ends when its input does
        });
        return manager;
    }

    /// <summary>How long the node waits for its model hosts to stop: their grace and a margin for the answer (within
    /// the phase's timeout, <c>akka.coordinated-shutdown.phases.before-actor-system-terminate.timeout</c>).</summary>
    internal static readonly TimeSpan HostsStopTimeout = ModelHostProcess.StopGrace + TimeSpan.FromSeconds(3);
}
