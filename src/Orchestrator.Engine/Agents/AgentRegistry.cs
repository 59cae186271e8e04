using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;
using Orchestrator.Engine.Persistence;

namespace Orchestrator.Engine.Agents;

/// <summary>The agent registry: the persistent actor <c>agent-registry</c>, run as a cluster singleton behind the proxy
/// <c>/user/agents</c>. It holds <see cref="AgentRegistryState"/> (a fold over its events) and the
/// <see cref="AgentSelector"/> index beside it, decides with Core's pure code, persists, then answers. Every
/// <see cref="AgentRegistryOptions.HealthInterval"/> it checks that each agent's model actor is alive (an
/// <c>Identify</c> to <c>pool-&lt;model&gt;</c> under the model manager); agents on a dead model are not chosen.</summary>
public sealed class AgentRegistry : SnapshottingActor, IWithTimers
{
    /// <summary>The registry's persistence id.</summary>
    public const string Id = "agent-registry";

    private readonly AgentRegistrySettings _settings;
    private readonly AgentRegistryOptions _options;
    private readonly IActorRef? _models;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private AgentRegistryState _state;
    private AgentSelector _selector;
    private int _eventsSinceSnapshot;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the registry: <paramref name="settings"/> hold the configured models and known roles;
    /// <paramref name="models"/> is the model manager whose <c>pool-&lt;model&gt;</c> children are checked (null: every
    /// model is taken to be alive).</summary>
    public static Props Props(AgentRegistrySettings settings, AgentRegistryOptions? options = null, IActorRef? models = null) =>
        Akka.Actor.Props.Create(() => new AgentRegistry(settings, options ?? AgentRegistryOptions.Default, models));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public AgentRegistry(AgentRegistrySettings settings, AgentRegistryOptions options, IActorRef? models)
    {
        _settings = settings;
        _options = options;
        _models = models;
        _state = AgentRegistryState.Empty(settings.Alpha);
        _selector = AgentSelector.Build(_state, settings);

        Recover<SnapshotOffer>(o => _state = AgentRegistryState.FromSnapshot((AgentSnapshots.AgentRegistrySnapshot)o.Snapshot, settings.Alpha));
        Recover<IPersistedEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            _selector = AgentSelector.Build(_state, settings);
            if (_models is not null)
            {
                Self.Tell(CheckHealth.Instance);
                Timers.StartPeriodicTimer(nameof(CheckHealth), CheckHealth.Instance, options.HealthInterval);
            }
        });

        Command<RegisterAgent>(c => Handle(_state.Decide(c, settings, options.Now)));
        Command<UpdateAgent>(c => Handle(_state.Decide(c, settings, options.Now)));
        Command<RemoveAgent>(c => Handle(_state.Decide(c, options.Now)));
        Command<SelectAgent>(c => Handle(_state.Decide(c, _selector, options.Now)));
        Command<AssignTask>(c => Handle(_state.Decide(c, _selector, options.Now)));
        Command<ReleaseTask>(c => Handle(_state.Decide(c, options.Now)));
        Command<RecordTaskOutcome>(c => Handle(_state.Decide(c)));
        Command<RecordQuality>(c => Handle(_state.Decide(c)));
        Command<ListAgents>(_ => Sender.Tell(new AgentList(_state.Agents.Values.Select(Status).ToList())));
        Command<GetAgent>(q => Sender.Tell(_state.Agents.TryGetValue(q.Name, out var a) ? Status(a) : new AgentNotFound(q.Name)));
        Command<GetAgentAnalytics>(q => Sender.Tell(Analytics(q)));
        Command<CheckHealth>(_ => CheckModels());
        Command<ActorIdentity>(OnIdentity);
        KeepOnlyTheLatestSnapshot(() => "Agent registry");
    }

    /// <inheritdoc />
    public override string PersistenceId => Id;

    private void Handle(AgentDecision decision)
    {
        var sender = Sender;
        if (decision.Events.Count == 0)
        {
            Reply(sender, decision.Reply);
            return;
        }
        var left = decision.Events.Count;
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            _selector.Apply(e, _state);
            if (++_eventsSinceSnapshot >= _options.SnapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(_state.ToSnapshot());
            }
            if (--left == 0) Reply(sender, decision.Reply);
        });
    }

    /// <summary>Answers unless the command was told without a sender (outcomes from sessions).</summary>
    private static void Reply(IActorRef sender, IClusterMessage? reply)
    {
        if (reply is not null && !sender.IsNobody()) sender.Tell(reply);
    }

    private AgentStatus Status(AgentProfile a) =>
        new(a, _selector.IsHealthy(a.Model), _state.InFlightOf(a.Name), _state.StatsOf(a.Name, AgentRegistryState.AllKinds));

    private AgentAnalytics Analytics(GetAgentAnalytics q) => new(
        _state.Stats
            .Where(kv => (q.Agent is null || kv.Key.Agent == q.Agent) && (q.Kind is null || kv.Key.Kind == q.Kind))
            .OrderBy(kv => kv.Key.Agent, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind, StringComparer.Ordinal)
            .Select(kv => new AgentKindPerformance(kv.Key.Agent, kv.Key.Kind, kv.Value))
            .ToList());

    private void CheckModels()
    {
        if (_models is null) return;
        foreach (var model in _selector.Models)
            Context.ActorSelection(_models.Path / ModelActorName(model)).Tell(new Identify(model));
    }

    private void OnIdentity(ActorIdentity identity)
    {
        if (identity.MessageId is not string model) return;
        var alive = identity.Subject is not null;
        if (_selector.IsHealthy(model) != alive)
            _log.Info("Agent registry: model {Model} is {State}", model, alive ? "alive again" : "down");
        _selector.SetModelHealth(model, alive);
    }

    /// <summary>The name of the actor serving <paramref name="model"/> under the model manager.</summary>
    public static string ModelActorName(string model) => $"pool-{Uri.EscapeDataString(model)}";

    /// <summary>Check the models now.</summary>
    private sealed record CheckHealth : INoSerializationVerificationNeeded
    {
        public static readonly CheckHealth Instance = new();
    }
}
