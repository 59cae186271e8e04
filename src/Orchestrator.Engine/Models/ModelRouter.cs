using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Models;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Models;

/// <summary>The actor a node's workers, councils and summarizer send <see cref="Generate"/> to (<c>/user/model-router</c>),
/// in front of the node's own model manager. A request for a model this node serves goes to the manager; one for a model
/// only other members serve goes to the manager of the member with the most free sequences (<see cref="ModelPlacement"/>),
/// as the caller, so its tokens and answer go straight back to it; one for a model no reachable member serves is failed
/// at once with the reason. Which member serves what comes from its cluster roles (<see cref="ModelRoles"/>); their load
/// from what each router publishes on <see cref="ModelCapacity.Topic"/> every <see cref="ModelRouterSettings.LoadInterval"/>.
/// A <see cref="CancelGenerate"/> follows its request to the same node; when that node becomes unreachable or leaves,
/// each request it was running is answered <see cref="GenerateFailed"/> (<see cref="FailureCodes.NodeLost"/>) with the
/// reason, so the caller's retry policy applies instead of its deadline. Anything else goes to the local manager. Local
/// actors may subscribe to the models served elsewhere (<see cref="SubscribeModelsElsewhere"/>) or ask for them once
/// (<see cref="GetModelsElsewhere"/>).</summary>
public sealed class ModelRouter : ReceiveActor, IWithTimers
{
    private readonly IActorRef _local;
    private readonly ModelRouterSettings _settings;
    private readonly ModelPlacement _placement;
    private readonly RemoteGenerations<IActorRef> _remote = new();
    private readonly Dictionary<string, ModelCapacity.ModelLoad> _localLoads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActorSelection> _managers = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster? _cluster;
    private IReadOnlySet<string> _elsewhere = new HashSet<string>(StringComparer.Ordinal);

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a router in front of <paramref name="local"/>, the node's model manager, which serves
    /// <paramref name="localModels"/>. Other nodes' managers are found at the same path on their addresses.</summary>
    public static Props Props(IActorRef local, IReadOnlySet<string> localModels, ModelRouterSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ModelRouter(local, localModels, settings ?? ModelRouterSettings.Default));

    /// <summary>Asks for the models other reachable members serve: answered with <see cref="ModelsElsewhere"/> now and
    /// whenever they change, until the subscriber stops.</summary>
    public sealed record SubscribeModelsElsewhere : INoSerializationVerificationNeeded
    {
        /// <summary>The one instance.</summary>
        public static SubscribeModelsElsewhere Instance { get; } = new();
    }

    /// <summary>Asks once for the models other reachable members serve: answered with <see cref="ModelsElsewhere"/>.</summary>
    public sealed record GetModelsElsewhere : INoSerializationVerificationNeeded
    {
        /// <summary>The one instance.</summary>
        public static GetModelsElsewhere Instance { get; } = new();
    }

    /// <summary>The models served by reachable Up members other than this node.</summary>
    public sealed record ModelsElsewhere(IReadOnlySet<string> Models) : INoSerializationVerificationNeeded;

    /// <summary>Created through <see cref="Props"/>.</summary>
    public ModelRouter(IActorRef local, IReadOnlySet<string> localModels, ModelRouterSettings settings)
    {
        _local = local;
        _settings = settings;
        _placement = new ModelPlacement(localModels);
        _cluster = Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider } ? Cluster.Get(Context.System) : null;

        Receive<Generate>(OnGenerate);
        Receive<CancelGenerate>(OnCancel);
        Receive<ClusterEvent.MemberUp>(e => Changed(() => MemberUp(e.Member)));
        Receive<ClusterEvent.MemberLeft>(e => Changed(() => _placement.MemberGone(e.Member.Address.ToString())));
        Receive<ClusterEvent.MemberExited>(e => Changed(() => _placement.MemberGone(e.Member.Address.ToString())));
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            Changed(() => _placement.MemberGone(e.Member.Address.ToString()));
            Lost(e.Member.Address.ToString(), "left the cluster");
        });
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            Changed(() => _placement.SetReachable(e.Member.Address.ToString(), false));
            Lost(e.Member.Address.ToString(), "became unreachable");
        });
        Receive<ClusterEvent.ReachableMember>(e => Changed(() => _placement.SetReachable(e.Member.Address.ToString(), true)));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ModelCapacity.NodeModelLoad>(l =>
        {
            if (l.Node != _cluster?.SelfAddress.ToString()) _placement.LoadReported(l);
        });
        Receive<ModelQueries.ModelStats>(s =>
        {
            if (!_placement.Local.Contains(s.Model)) return;
            _localLoads[s.Model] = new ModelCapacity.ModelLoad(s.Model, s.Loaded, s.Sequences, s.ActiveSequences, s.QueueLength);
            OrchestratorTelemetry.ModelQueueDepth.Record(s.QueueLength,
                new KeyValuePair<string, object?>(OrchestratorTelemetry.Attributes.Model, s.Model));
        });
        Receive<ModelQueries.ModelNotServed>(_ => { });
        Receive<ShareLoad>(_ => OnShareLoad());
        Receive<Expired>(e => _remote.End(e.RequestId));
        Receive<SubscribeModelsElsewhere>(_ =>
        {
            if (_subscribers.Add(Sender)) Context.Watch(Sender);
            Sender.Tell(new ModelsElsewhere(_elsewhere));
        });
        Receive<GetModelsElsewhere>(_ => Sender.Tell(new ModelsElsewhere(_elsewhere)));
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<SubscribeAck>(_ => { });
        ReceiveAny(m => _local.Forward(m));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_cluster is null) return;
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(ModelCapacity.Topic, Self));
        if (_placement.Local.Count == 0) return;
        Self.Tell(ShareLoad.Instance);
        Timers.StartPeriodicTimer(nameof(ShareLoad), ShareLoad.Instance, _settings.LoadInterval);
    }

    /// <inheritdoc />
    protected override void PostStop() => _cluster?.Unsubscribe(Self);

    private void OnGenerate(Generate g)
    {
        if (string.IsNullOrEmpty(g.Model) || string.IsNullOrEmpty(g.RequestId))
        {
            Sender.Tell(new GenerateFailed(g.RequestId ?? "", g.Model ?? "", FailureCodes.InvalidRequest,
                "a request needs a model name (Model) and a request id (RequestId)."));
            return;
        }
        switch (_placement.Route(g.Model))
        {
            case ModelRoute.Local:
                _local.Forward(g);
                break;
            case ModelRoute.Remote(var node):
                ManagerOn(node).Tell(g, Sender);
                _remote.Started(g.RequestId, Sender, node, g.Model);
                Timers.StartSingleTimer(ExpiryKey(g.RequestId), new Expired(g.RequestId),
                    g.Timeout is { } timeout ? timeout + ModelCallingActor.Grace : _settings.UntimedRetention);
                break;
            case ModelRoute.Unserved(var reason):
                _log.Warning("Model router: request {RequestId} refused: {Reason}", g.RequestId, reason);
                Sender.Tell(new GenerateFailed(g.RequestId, g.Model, FailureCodes.UnknownModel, reason + "."));
                break;
        }
    }

    private void OnCancel(CancelGenerate c)
    {
        if (c.RequestId is not null && _remote.End(c.RequestId) is { } running)
        {
            Timers.Cancel(ExpiryKey(c.RequestId));
            ManagerOn(running.Node).Tell(c, Sender);
        }
        else _local.Forward(c);
    }

    private void MemberUp(Member member)
    {
        if (member.Address.Equals(_cluster?.SelfAddress)) return;
        _placement.MemberUp(member.Address.ToString(), ModelRoles.ModelsOf(member.Roles));
    }

    /// <summary>Fails every request <paramref name="node"/> was running, telling it to stop them should it come back.</summary>
    private void Lost(string node, string how)
    {
        foreach (var g in _remote.LostWith(node))
        {
            Timers.Cancel(ExpiryKey(g.RequestId));
            ManagerOn(node).Tell(new CancelGenerate(g.RequestId, g.Model), ActorRefs.NoSender);
            g.Caller.Tell(new GenerateFailed(g.RequestId, g.Model, FailureCodes.NodeLost,
                $"node {node}, which was generating it, {how} before it answered"));
            _log.Warning("Model router: request {RequestId} for model {Model} failed: node {Node} {How}", g.RequestId, g.Model, node, how);
        }
    }

    /// <summary>Applies a membership change and tells the subscribers when the models served elsewhere changed.</summary>
    private void Changed(Action change)
    {
        change();
        var now = _placement.ServedElsewhere;
        if (now.SetEquals(_elsewhere)) return;
        _elsewhere = now;
        _log.Info("Model router: other nodes serve {Models}", now.Count == 0 ? "no model" : string.Join(", ", now.Order(StringComparer.Ordinal)));
        foreach (var subscriber in _subscribers) subscriber.Tell(new ModelsElsewhere(now));
    }

    /// <summary>Publishes the figures the local pools gave since the last tick (while the cluster has other members) and
    /// asks them again.</summary>
    private void OnShareLoad()
    {
        if (_cluster is not null && _cluster.State.Members.Count > 1 && _localLoads.Count > 0)
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(ModelCapacity.Topic,
                new ModelCapacity.NodeModelLoad(_cluster.SelfAddress.ToString(), _localLoads.Values.OrderBy(l => l.Model, StringComparer.Ordinal).ToList())));
        foreach (var model in _placement.Local) _local.Tell(new ModelQueries.GetModelStats(model));
    }

    /// <summary>The model manager of the member at <paramref name="node"/>: at the local manager's path on its address.</summary>
    private ActorSelection ManagerOn(string node)
    {
        if (!_managers.TryGetValue(node, out var selection))
            _managers[node] = selection = Context.ActorSelection(new RootActorPath(Address.Parse(node)) / _local.Path.Elements);
        return selection;
    }

    private static string ExpiryKey(string requestId) => $"expire-{requestId}";

    private sealed record ShareLoad : INoSerializationVerificationNeeded
    {
        public static readonly ShareLoad Instance = new();
    }

    private sealed record Expired(string RequestId) : INoSerializationVerificationNeeded;
}
