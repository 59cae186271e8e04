using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Persistence;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Engine.Agents;

/// <summary>The agent registry: the persistent actor <c>agent-registry</c>, run as a cluster singleton behind the proxy
/// <c>/user/agents</c>. It holds <see cref="AgentRegistryState"/> (a fold over its events) and the
/// <see cref="AgentSelector"/> index beside it, decides with Core's pure code, persists, then answers. Every
/// <see cref="AgentRegistryOptions.HealthInterval"/> it checks that each agent's model actor is alive (an
/// <c>Identify</c> to <c>pool-&lt;model&gt;</c> under the model manager); agents on a dead model are not chosen.</summary>
public sealed class AgentRegistry : EventSourcedEntity<AgentRegistryState>, IWithTimers
{
    /// <summary>The registry's persistence id.</summary>
    public const string Id = "agent-registry";

    private readonly AgentRegistrySettings _settings;
    private readonly IActorRef? _models;
    private readonly IActorRef? _router;
    private readonly ModelAvailability _availability = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _subscribers = [];
    private AgentSelector _selector;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the registry: <paramref name="settings"/> hold the configured models and known roles;
    /// <paramref name="models"/> is the model manager whose <c>pool-&lt;model&gt;</c> children are checked (null: every
    /// model is taken to be alive); <paramref name="router"/> the <see cref="ModelRouter"/> of the node it runs on, which
    /// tells it the models other members serve: an agent may run on those too, and they are alive (none: only the
    /// models of <paramref name="settings"/>).</summary>
    public static Props Props(AgentRegistrySettings settings, AgentRegistryOptions? options = null, IActorRef? models = null,
        IActorRef? router = null) =>
        Akka.Actor.Props.Create(() => new AgentRegistry(settings, options ?? AgentRegistryOptions.Default, models, router));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public AgentRegistry(AgentRegistrySettings settings, AgentRegistryOptions options, IActorRef? models, IActorRef? router)
        : base(AgentRegistryState.Empty(settings.Alpha), options.SnapshotEvery)
    {
        _settings = settings;
        _models = models;
        _router = router;
        _selector = AgentSelector.Build(State, settings);

        Recover<RecoveryCompleted>(_ =>
        {
            _selector = AgentSelector.Build(State, settings);
            if (_models is not null)
            {
                Self.Tell(CheckHealth.Instance);
                Timers.StartPeriodicTimer(nameof(CheckHealth), CheckHealth.Instance, options.HealthInterval);
            }
            _router?.Tell(ModelRouter.SubscribeModelsElsewhere.Instance);
        });

        Command<RegisterAgent>(c => Handle(State.Decide(c, Served(settings), options.Now)));
        Command<UpdateAgent>(c => Handle(State.Decide(c, Served(settings), options.Now)));
        Command<RemoveAgent>(c => Handle(State.Decide(c, options.Now)));
        Command<SelectAgent>(c => Handle(State.Decide(c, _selector, options.Now)));
        Command<AssignTask>(c => Handle(State.Decide(c, _selector, options.Now)));
        Command<ReleaseTask>(c => Handle(State.Decide(c, options.Now)));
        Command<RecordTaskOutcome>(c => Handle(State.Decide(c)));
        Command<RecordQuality>(c => Handle(State.Decide(c)));
        Command<ListAgents>(q => Sender.Tell(State.ListPage(q, options.PageSize, Status)));
        Command<GetAgent>(q => Sender.Tell(State.Agents.TryGetValue(q.Name, out var a) ? Status(a) : new AgentNotFound(q.Name)));
        Command<GetAgentAnalytics>(q => Sender.Tell(State.AnalyticsPage(q, options.PageSize)));
        Command<SubscribeAgents>(_ =>
        {
            if (_subscribers.Add(Sender)) Context.Watch(Sender);
            foreach (var part in State.ToCopy(options.PageSize)) Sender.Tell(part);
        });
        Command<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Command<CheckHealth>(_ => CheckModels());
        Command<ActorIdentity>(OnIdentity);
        Command<ModelRouter.ModelsElsewhere>(e =>
        {
            foreach (var (model, available) in _availability.ServedElsewhere(e.Models)) SetHealth(model, available);
        });
    }

    /// <inheritdoc />
    public override string PersistenceId => Id;

    /// <inheritdoc />
    protected override string Name => "Agent registry";

    /// <inheritdoc />
    protected override AgentRegistryState Apply(AgentRegistryState state, IPersistedEvent e) => state.Apply(e);

    /// <inheritdoc />
    protected override AgentRegistryState FromSnapshot(object snapshot) =>
        AgentRegistryState.FromSnapshot((AgentSnapshots.AgentRegistrySnapshot)snapshot, _settings.Alpha);

    /// <inheritdoc />
    protected override ISnapshotState ToSnapshot(AgentRegistryState state) => state.ToSnapshot();

    /// <summary>Keeps the selector in step with a write (each decision writes at most one event) and tells the
    /// subscribers; on recovery the selector is built once at the end instead.</summary>
    protected override void OnApplied(AgentRegistryState before, IReadOnlyList<IPersistedEvent> events)
    {
        if (IsRecovering) return;
        foreach (var e in events)
        {
            _selector.Apply(e, State);
            foreach (var subscriber in _subscribers) subscriber.Tell(e);
        }
    }

    private AgentStatus Status(AgentProfile a) =>
        new(a, _selector.IsHealthy(a.Model), State.InFlightOf(a.Name), State.StatsOf(a.Name, AgentRegistryState.AllKinds));

    private void CheckModels()
    {
        if (_models is not null) ModelLiveness.Probe(Context, _models, _selector.Models);
    }

    private void OnIdentity(ActorIdentity identity)
    {
        if (!ModelLiveness.Read(identity, out var model, out var alive)) return;
        SetHealth(model, _availability.Probed(model, alive));
    }

    private void SetHealth(string model, bool available)
    {
        if (_selector.IsHealthy(model) != available)
            _log.Info("Agent registry: model {Model} is {State}", model, available ? "alive again" : "down");
        _selector.SetModelHealth(model, available);
    }

    /// <summary><paramref name="settings"/> with the models other members serve beside this node's own.</summary>
    private AgentRegistrySettings Served(AgentRegistrySettings settings) =>
        _availability.Elsewhere.Count == 0
            ? settings
            : settings with { Models = settings.Models.Union(_availability.Elsewhere).ToHashSet(StringComparer.Ordinal) };

    /// <summary>Check the models now.</summary>
    private sealed record CheckHealth : INoSerializationVerificationNeeded
    {
        public static readonly CheckHealth Instance = new();
    }
}
