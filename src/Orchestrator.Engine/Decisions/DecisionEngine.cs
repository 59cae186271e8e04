using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Decisions;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Engine.Models;
using static Orchestrator.Engine.Decisions.DispatchMessages;

namespace Orchestrator.Engine.Decisions;

/// <summary>The node's decision engine (<c>/user/decisions</c>): it owns the node's dispatch slots and decides, across
/// all the node's sessions, which task runs next and as which agent on which model, with Core's
/// <see cref="DispatchBoard"/>. Sessions ask (<see cref="RequestDispatch"/>) and are answered with grants, refusals and
/// holds, now or whenever a slot frees; they give each slot back (<see cref="ReleaseDispatch"/>), and a session that
/// stops (a crash, a failed write, passivation) gives back everything it held: the engine watches it. A council or group
/// chat attempt asks the same way for its members' agents (<see cref="RequestMemberDispatch"/>), and is watched the same way. Its copy of the
/// agent registry (agents and what they learned) comes by subscription to the registry singleton, so a dispatch asks
/// nothing of another node; every <c>health-interval</c> it checks that the node's models are alive. A model served by
/// another reachable member (as the node's <see cref="ModelRouter"/> tells it) is alive too, and granted here: the router
/// sends its requests there. With a <see cref="ModelServingView"/>, it keeps it up to date for the node's sessions and
/// readiness: each model's state as the model manager publishes it, the models served elsewhere, the agents of each role.</summary>
public sealed class DecisionEngine : ReceiveActor, IWithTimers
{
    private readonly DecisionEngineSettings _settings;
    private readonly IActorRef? _registry;
    private readonly IActorRef? _models;
    private readonly IActorRef? _router;
    private readonly ModelServingView? _serving;
    private readonly ModelAvailability _availability = new();
    private readonly DispatchBoard _board;
    private readonly Dictionary<string, IActorRef> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _sessionOf = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<AgentSnapshots.AgentRegistryCopy> _copyParts = [];
    private AgentRegistryState? _copy;
    private IActorRef? _registryActor;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the engine: <paramref name="registry"/> is the agent registry's proxy (none: no agents, every
    /// role runs on its default model); <paramref name="models"/> the model manager whose pools are checked (none:
    /// every model is taken to be alive); <paramref name="router"/> the node's <see cref="ModelRouter"/>, which tells it the
    /// models other members serve (none: only this node's models are served); <paramref name="serving"/> the view it
    /// keeps of which models serve (none: kept by nobody).</summary>
    public static Props Props(DecisionEngineSettings settings, IActorRef? registry = null, IActorRef? models = null, IActorRef? router = null,
        ModelServingView? serving = null) =>
        Akka.Actor.Props.Create(() => new DecisionEngine(settings, registry, models, router, serving));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public DecisionEngine(DecisionEngineSettings settings, IActorRef? registry, IActorRef? models, IActorRef? router, ModelServingView? serving)
    {
        _settings = settings;
        _registry = registry;
        _models = models;
        _router = router;
        _serving = serving;
        var sequences = settings.ModelSequences;
        _board = new DispatchBoard(settings.Capacity, settings.Agents, settings.ModelByRole, settings.ServedModels,
            sequences is null ? null : model => sequences.TryGetValue(model, out var n) ? n : int.MaxValue);

        Receive<RequestDispatch>(r => Send(_board.Demand(Own(r.SessionId), r.Candidates)));
        Receive<RequestMemberDispatch>(r => Send(_board.DemandForMembers(Own(r.HolderId), r.Candidates)));
        Receive<ReleaseDispatch>(r => Send(_board.Release(r.SessionId, r.TaskId, r.Attempt)));
        Receive<CarryDispatch>(c => Send(_board.Carry(Own(c.SessionId), c.FromTaskId, c.FromAttempt, c.To)));
        Receive<Terminated>(OnTerminated);
        Receive<AgentSnapshots.AgentRegistryCopy>(OnRegistryCopy);
        Receive<IPersistedEvent>(OnRegistryEvent);
        Receive<Subscribe>(_ => SubscribeToRegistry());
        Receive<CheckModels>(_ => ModelLiveness.Probe(Context, _models!, ModelsToCheck()));
        Receive<ActorIdentity>(OnIdentity);
        Receive<ModelRouter.ModelsElsewhere>(OnModelsElsewhere);
        Receive<GetDispatchStatus>(_ => Sender.Tell(Status()));
        Receive<ModelQueries.ModelServingChanged>(c => _serving?.Update(v => v with { Local = With(v.Local, c.Model, c.Serving) }));
        Receive<ModelQueries.ModelsServed>(s => _serving?.Update(v => v with
        {
            Local = s.Models.Where(m => m.Serving is not null).Aggregate(v.Local, (local, m) => With(local, m.Name, m.Serving!)),
        }));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_registry is not null) SubscribeToRegistry();
        _router?.Tell(ModelRouter.SubscribeModelsElsewhere.Instance);
        if (_serving is not null && _models is not null)
        {
            // Changes as they happen; the states until then once (a change meanwhile is published after it).
            Context.System.EventStream.Subscribe(Self, typeof(ModelQueries.ModelServingChanged));
            _models.Tell(ModelQueries.GetModels.Instance);
        }
        if (_models is not null)
        {
            Self.Tell(CheckModels.Instance);
            Timers.StartPeriodicTimer(nameof(CheckModels), CheckModels.Instance, _settings.HealthInterval ?? TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>The sender asks for <paramref name="sessionId"/> (a session, or a council or chat attempt asking for its
    /// members): it is watched, and answers go to it.</summary>
    private string Own(string sessionId)
    {
        if (!_owners.TryGetValue(sessionId, out var owner) || !owner.Equals(Sender))
        {
            // A session's first request, or its next incarnation: the slots it holds follow the session, not the actor.
            if (owner is not null) Forget(owner);
            _owners[sessionId] = Sender;
            _sessionOf[Sender] = sessionId;
            Context.Watch(Sender);
        }
        return sessionId;
    }

    private void OnTerminated(Terminated t)
    {
        if (_registryActor is not null && t.ActorRef.Equals(_registryActor))
        {
            // The registry singleton moved or restarted: ask the new one for its copy (the proxy finds it).
            _registryActor = null;
            SubscribeToRegistry();
            return;
        }
        if (!_sessionOf.TryGetValue(t.ActorRef, out var sessionId)) return;
        Forget(t.ActorRef);
        _owners.Remove(sessionId);
        Send(_board.ReleaseSession(sessionId));
    }

    private void Forget(IActorRef owner)
    {
        _sessionOf.Remove(owner);
        Context.Unwatch(owner);
    }

    /// <summary>Each answer goes to the session it is for; one whose session is gone is dropped (its slots were freed).</summary>
    private void Send(IReadOnlyList<DispatchAnswer> answers)
    {
        foreach (var answer in answers)
            if (_owners.TryGetValue(answer.SessionId, out var owner))
                owner.Tell(new DispatchAnswered(answer));
    }

    private void SubscribeToRegistry()
    {
        if (_registry is null || _registryActor is not null) return;
        _registry.Tell(AgentCommands.SubscribeAgents.Instance);
        // Until the copy arrives (the singleton may still be starting), ask again.
        Timers.StartSingleTimer(nameof(Subscribe), Subscribe.Instance, _settings.SubscribeRetry ?? TimeSpan.FromSeconds(2));
    }

    /// <summary>A part of the registry's copy: kept until the last one, then the copy is adopted. A copy starts with its
    /// part 0 (a copy sent again, after a retry or by a new registry, starts over).</summary>
    private void OnRegistryCopy(AgentSnapshots.AgentRegistryCopy part)
    {
        if (part.Part == 0) _copyParts.Clear();
        if (part.Part != _copyParts.Count) return; // the rest of a copy whose start was missed: the retry sends it whole
        _copyParts.Add(part);
        if (!part.Last) return;
        var snapshot = AgentSnapshots.Join(_copyParts);
        _copyParts.Clear();
        _copy = AgentRegistryState.FromSnapshot(snapshot, _settings.Agents.Alpha);
        _board.Adopt(_copy);
        if (!Sender.Equals(_registryActor))
        {
            if (_registryActor is not null) Context.Unwatch(_registryActor);
            _registryActor = Sender;
            Context.Watch(Sender);
        }
        Timers.Cancel(nameof(Subscribe));
        _log.Debug("Decision engine: registry copy with {Agents} agents", _copy.Agents.Count);
        UpdateAgentModels();
        if (_models is not null) ModelLiveness.Probe(Context, _models, ModelsToCheck());
    }

    private void OnRegistryEvent(IPersistedEvent e)
    {
        if (_copy is null) return; // before the copy: the copy will include it
        _copy = _copy.Apply(e);
        Send(_board.Apply(e, _copy));
        UpdateAgentModels();
    }

    /// <summary>The view's agents: the models of the registered agents of each role.</summary>
    private void UpdateAgentModels() => _serving?.Update(v => v with
    {
        AgentModels = (_copy?.Agents.Values ?? []).GroupBy(a => a.Role, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(a => a.Model).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal),
    });

    private static IReadOnlyDictionary<string, ModelServing> With(IReadOnlyDictionary<string, ModelServing> local, string model, ModelServing serving) =>
        new Dictionary<string, ModelServing>(local.Where(kv => kv.Key != model), StringComparer.Ordinal) { [model] = serving };

    private void OnIdentity(ActorIdentity identity)
    {
        if (!ModelLiveness.Read(identity, out var model, out var alive)) return;
        SetHealth(model, _availability.Probed(model, alive));
    }

    private void OnModelsElsewhere(ModelRouter.ModelsElsewhere elsewhere)
    {
        _board.SetServedElsewhere(elsewhere.Models);
        _serving?.Update(v => v with { Elsewhere = elsewhere.Models });
        foreach (var (model, available) in _availability.ServedElsewhere(elsewhere.Models)) SetHealth(model, available);
    }

    private void SetHealth(string model, bool available)
    {
        if (_board.IsHealthy(model) != available)
            _log.Info("Decision engine: model {Model} is {State}", model, available ? "alive again" : "down");
        Send(_board.SetModelHealth(model, available));
    }

    /// <summary>The models served here and the models of registered agents.</summary>
    private IEnumerable<string> ModelsToCheck() =>
        (_settings.ServedModels ?? new HashSet<string>()).Union(_copy?.Agents.Values.Select(a => a.Model) ?? []).Distinct();

    private DispatchStatus Status() => new(_board.Capacity, _board.Granted, _board.Waiting,
        new Dictionary<string, int>(_board.ByAgent, StringComparer.Ordinal), new Dictionary<string, int>(_board.ByModel, StringComparer.Ordinal),
        _copy is not null, _board.ModelsDown.Order(StringComparer.Ordinal).ToList(), _copy?.Agents.Count ?? 0);

    private sealed record Subscribe : INoSerializationVerificationNeeded
    {
        public static readonly Subscribe Instance = new();
    }

    private sealed record CheckModels : INoSerializationVerificationNeeded
    {
        public static readonly CheckModels Instance = new();
    }
}
