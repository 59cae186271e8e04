using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;

namespace Orchestrator.Engine.Singletons;

/// <summary>Warns when the proxy of a cluster singleton has not found it within a period of the proxy's start (no node
/// runs its manager, or the oldest node cannot start it), and says so again when it is found late. In place of the
/// proxy's own warning, which Akka logs as the proxy starts, before any singleton could answer. Once the singleton is
/// found it stops listening and stays idle (stopping would turn the proxies' later results into dead letters).</summary>
internal sealed class SingletonWatch : ReceiveActor, IWithTimers
{
    private readonly string _singletonName;
    private readonly string _proxyName;
    private readonly TimeSpan _period;
    private bool _warned;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string singletonName, string proxyName, TimeSpan period) =>
        Akka.Actor.Props.Create(() => new SingletonWatch(singletonName, proxyName, period));

    public SingletonWatch(string singletonName, string proxyName, TimeSpan period)
    {
        _singletonName = singletonName;
        _proxyName = proxyName;
        _period = period;
        Context.System.EventStream.Subscribe<ClusterSingletonProxy.IdentifySingletonResult>(Self);
        Receive<ClusterSingletonProxy.IdentifySingletonResult>(r =>
        {
            if (r.SingletonName != singletonName || r.Result != ClusterSingletonProxy.IdentifyResult.Success) return;
            if (_warned) Context.GetLogger().Info("Cluster singleton {Singleton}: its proxy /user/{Proxy} found it", singletonName, proxyName);
            Context.System.EventStream.Unsubscribe(Self);
            Timers.CancelAll();
            Become(() => ReceiveAny(_ => { }));
        });
        Receive<Missing>(_ =>
        {
            _warned = true;
            Context.GetLogger().Warning(
                "Cluster singleton {Singleton}: its proxy /user/{Proxy} has not found it {Seconds} s after it started; " +
                "messages to it wait in the proxy's buffer until the oldest node runs it",
                _singletonName, _proxyName, _period.TotalSeconds);
        });
    }

    protected override void PreStart() => Timers.StartSingleTimer(nameof(Missing), Missing.Instance, _period);

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private sealed record Missing : INoSerializationVerificationNeeded
    {
        public static readonly Missing Instance = new();
    }
}
