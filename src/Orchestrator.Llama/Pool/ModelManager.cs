using Akka;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Native;
using Orchestrator.Llama.Processes;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Pool;

/// <summary>The node's model actor (<c>/user/models</c>): one <see cref="ModelPool"/> child per configured model
/// (<c>pool-&lt;name&gt;</c>), <see cref="Generate"/> and <see cref="CancelGenerate"/> routed by model name, an error
/// reply for an unknown model. A failed pool is stopped and started again after an exponential back-off; while it is
/// down its requests are answered <see cref="GenerateFailed"/> at once instead of waiting. It answers
/// <see cref="ModelQueries"/>: the configured models (with whether each is loaded and serves) and each pool's live figures.
/// Whether each model serves (<see cref="ModelServing"/>: loading, serving, restarting, failed with the reason) is
/// published on the event stream as it changes (<see cref="ModelQueries.ModelServingChanged"/>).</summary>
public sealed class ModelManager : ReceiveActor, IWithTimers
{
    private readonly Dictionary<string, PoolSettings> _settings;
    private readonly Dictionary<string, ExternalModel> _external;
    private readonly Dictionary<string, IActorRef> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _names = new();
    private readonly Dictionary<string, (int Failures, DateTime StartedUtc)> _health = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastFailure = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelServing> _serving = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _minBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly Probe.ModelProbe? _probe;
    private ModelHosting _hosting;
    private IDisposable? _nativeLog;
    private bool _stopping;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a manager serving <paramref name="models"/>, in this process unless <paramref name="hosting"/>
    /// says otherwise, and the models of <paramref name="external"/> through their own actors.</summary>
    public static Props Props(IEnumerable<PoolSettings> models, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null,
        Probe.ModelProbe? probe = null, ModelHosting? hosting = null, IEnumerable<ExternalModel>? external = null) =>
        Akka.Actor.Props.Create(() => new ModelManager(models, minBackoff ?? TimeSpan.FromSeconds(1), maxBackoff ?? TimeSpan.FromSeconds(30), probe,
            hosting ?? ModelHosting.InProcess("no model host asked for"), external ?? Array.Empty<ExternalModel>()));

    /// <summary>Asks for the names of the served models; answered with <see cref="ModelList"/>.</summary>
    public sealed record ListModels
    {
        /// <summary>The one instance.</summary>
        public static ListModels Instance { get; } = new();
    }

    /// <summary>The served models and whether each pool is running now.</summary>
    public sealed record ModelList(IReadOnlyDictionary<string, bool> Running);

    /// <summary>Asks the named model's pool for its <see cref="ModelPool.PoolStatus"/>.</summary>
    public sealed record GetPoolStatus(string Model);

    /// <summary>A pool tells its manager that its model is loaded, on the llama.cpp build it names.</summary>
    internal sealed record PoolLoaded(string Model, string? NativeVariant) : INoSerializationVerificationNeeded;

    /// <summary>A pool tells its manager that its model failed: it answers requests with the failure until stopped.</summary>
    internal sealed record PoolBroken(string Model, string Reason) : INoSerializationVerificationNeeded;

    private sealed record StartPool(string Name) : INoSerializationVerificationNeeded;

    /// <summary>Asks the manager to stop its model hosts (each given <paramref name="Grace"/> to stop on its own) and
    /// start no pool again; answered <see cref="Done"/> once every host has ended. The node asks it as it stops, before
    /// its actor system ends (<see cref="ModelManagerExtensions.StartModelManager"/>).</summary>
    public sealed record StopModelHosts(TimeSpan Grace) : INoSerializationVerificationNeeded;

    /// <summary>Creates the manager; pools start in <see cref="PreStart"/>.</summary>
    public ModelManager(IEnumerable<PoolSettings> models, TimeSpan minBackoff, TimeSpan maxBackoff, Probe.ModelProbe? probe,
        ModelHosting hosting, IEnumerable<ExternalModel> external)
    {
        _probe = probe;
        _hosting = hosting;
        _settings = models.ToDictionary(m => m.Name, m => m.Validate(), StringComparer.Ordinal);
        _external = external.ToDictionary(e => e.Name, StringComparer.Ordinal);
        if (_external.Keys.FirstOrDefault(_settings.ContainsKey) is { } both)
            throw new ArgumentException($"Model '{both}' is both a local model and an external one.");
        _minBackoff = minBackoff;
        _maxBackoff = maxBackoff;
        Receive<Generate>(g =>
        {
            var served = GenerationServeSpan.Start(g, Sender);
            Route(g.Model, g.RequestId, g);
            GenerationServeSpan.Stop(served, _pools.ContainsKey(g.Model));
        });
        Receive<CancelGenerate>(c =>
        {
            if (_pools.TryGetValue(c.Model, out var pool)) pool.Forward(c);
        });
        Receive<GetPoolStatus>(q =>
        {
            if (_pools.TryGetValue(q.Model, out var pool)) pool.Forward(ModelPool.GetStatus.Instance);
            else Sender.Tell(new Status.Failure(new ArgumentException($"No running pool for model '{q.Model}'.")));
        });
        Receive<ListModels>(_ => Sender.Tell(new ModelList(
            Served.ToDictionary(k => k, k => _pools.ContainsKey(k), StringComparer.Ordinal))));
        Receive<PoolLoaded>(l =>
        {
            if (!_pools.TryGetValue(l.Model, out var pool) || !pool.Equals(Sender)) return;
            _loaded[l.Model] = l.NativeVariant;
            SetServing(l.Model, ModelServing.Serving);
        });
        Receive<ModelQueries.GetModels>(_ => Sender.Tell(new ModelQueries.ModelsServed(_settings.Values
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => new ModelQueries.ModelInfo(m.Name, m.Path, m.ContextSize, m.Sequences, m.EffectiveThreads, _loaded.ContainsKey(m.Name),
                _loaded.GetValueOrDefault(m.Name), _serving.GetValueOrDefault(m.Name)))
            .Concat(_external.Values.Select(e => new ModelQueries.ModelInfo(e.Name, e.Address, 0, e.Capacity, 0, _pools.ContainsKey(e.Name),
                ExternalVariant, _serving.GetValueOrDefault(e.Name))))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList())));
        Receive<ModelQueries.GetModelStats>(q =>
        {
            if (_pools.TryGetValue(q.Model, out var pool)) pool.Forward(q);
            else if (_settings.TryGetValue(q.Model, out var m))
                Sender.Tell(new ModelQueries.ModelStats(m.Name, false, 0, 0, m.Sequences, 0, ModelPool.RateWindow, 0, 0, 0, 0));
            else if (_external.TryGetValue(q.Model, out var e))
                Sender.Tell(new ModelQueries.ModelStats(q.Model, false, 0, 0, e.Capacity, 0, ModelPool.RateWindow, 0, 0, 0, 0, ExternalVariant));
            else Sender.Tell(new ModelQueries.ModelNotServed(q.Model, Served.Order(StringComparer.Ordinal).ToList()));
        });
        Receive<StartPool>(s =>
        {
            if (!_stopping) Start(s.Name);
        });
        Receive<StopModelHosts>(s =>
        {
            _stopping = true;
            var hosts = _hosting.Command is null ? [] : _pools.Where(p => _settings.ContainsKey(p.Key)).Select(p => p.Value).ToList();
            Task.WhenAll(hosts.Select(p => p.Ask<Done>(new HostedModelPool.StopHost(s.Grace), s.Grace + TimeSpan.FromSeconds(2))))
                .ContinueWith(_ => Done.Instance, TaskScheduler.Default)
                .PipeTo(Sender);
        });
        Receive<PoolBroken>(b =>
        {
            // New requests are answered here ("restarting") from now on; those already forwarded reach the broken pool
            // before this PoisonPill, so each gets its answer. Terminated then schedules the restart.
            if (!_pools.Remove(b.Model, out var pool)) return;
            _lastFailure[b.Model] = b.Reason;
            _loaded.Remove(b.Model);
            SetServing(b.Model, _serving.GetValueOrDefault(b.Model, ModelServing.Loading).Broke(b.Reason));
            pool.Tell(PoisonPill.Instance);
        });
        Receive<Terminated>(OnTerminated);
    }

    /// <summary>The names of every model served here: local pools and external models.</summary>
    private IEnumerable<string> Served => _settings.Keys.Concat(_external.Keys);

    /// <summary>What <see cref="ModelQueries.ModelInfo.NativeVariant"/> says of an external model: no llama.cpp here.</summary>
    public const string ExternalVariant = "endpoint";

    private void Route(string model, string requestId, object message)
    {
        if (_pools.TryGetValue(model, out var pool))
        {
            pool.Forward(message);
            return;
        }
        Sender.Tell(_settings.ContainsKey(model) || _external.ContainsKey(model)
            ? new GenerateFailed(requestId, model, FailureCodes.PoolFailed,
                $"the pool of model '{model}' failed{(_lastFailure.TryGetValue(model, out var why) ? $" ({why})" : "")} and is restarting; retry shortly.")
            : new GenerateFailed(requestId, model, FailureCodes.UnknownModel,
                $"no model named '{model}' is served here (served: {string.Join(", ", Served.Order(StringComparer.Ordinal))})."));
    }

    private void Start(string name)
    {
        var props = _external.TryGetValue(name, out var external) ? external.Props
            : _hosting.Command is { } command ? HostedModelPool.Props(_settings[name], command, _probe)
            : ModelPool.Props(_settings[name], _probe);
        var pool = Context.ActorOf(props, $"pool-{Uri.EscapeDataString(name)}");
        Context.Watch(pool);
        _pools[name] = pool;
        _names[pool] = name;
        _health[name] = (_health.TryGetValue(name, out var h) ? h.Failures : 0, DateTime.UtcNow);
        // An external model serves as long as its actor runs; a pool after a failure keeps its state until it loads.
        if (external is not null) SetServing(name, ModelServing.Serving);
        else if (!_serving.ContainsKey(name)) SetServing(name, ModelServing.Loading);
    }

    /// <summary>Records whether <paramref name="model"/> serves and, when that changed, logs it and publishes it.</summary>
    private void SetServing(string model, ModelServing serving)
    {
        if (_serving.GetValueOrDefault(model) == serving) return;
        _serving[model] = serving;
        if (serving.State is ModelServingState.Failed or ModelServingState.Restarting)
            _log.Warning("Model {Model} is {State}: {Reason}", model, serving.Name, serving.Reason);
        else _log.Info("Model {Model} is {State}", model, serving.Name);
        Context.System.EventStream.Publish(new ModelQueries.ModelServingChanged(model, serving));
    }

    private void OnTerminated(Terminated t)
    {
        if (!_names.Remove(t.ActorRef, out var name)) return;
        if (_pools.TryGetValue(name, out var current) && current.Equals(t.ActorRef))
        {
            // Stopped without reporting itself broken (its constructor or start threw): a failure all the same.
            _pools.Remove(name);
            SetServing(name, _serving.GetValueOrDefault(name, ModelServing.Loading)
                .Broke(_lastFailure.GetValueOrDefault(name) ?? $"the pool of model '{name}' stopped"));
        }
        _loaded.Remove(name);
        if (_stopping) return;
        var (failures, started) = _health[name];
        if (DateTime.UtcNow - started > _maxBackoff * 2) failures = 0;
        failures++;
        var delay = TimeSpan.FromTicks(Math.Min(_maxBackoff.Ticks, _minBackoff.Ticks * (1L << Math.Min(failures - 1, 20))));
        _health[name] = (failures, started);
        _log.Warning("Model pool {Model} stopped after a failure ({Failures} in a row); starting it again in {Delay}",
            name, failures, delay);
        Timers.StartSingleTimer($"start-{name}", new StartPool(name), delay);
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Error(e, "Model pool failed");
            return Directive.Stop;
        });

    /// <inheritdoc />
    protected override void PreStart()
    {
        var log = Logging.GetLogger(Context.System, "llama.cpp");
        _nativeLog = LlamaLog.Subscribe((level, message) =>
        {
            // llama.cpp's info and debug chatter (model metadata, buffer sizes, library probing) at Debug.
            switch (level)
            {
                case LlamaLogLevel.Error: log.Error("llama.cpp: {Line}", message); break;
                case LlamaLogLevel.Warning: log.Warning("llama.cpp: {Line}", message); break;
                default: log.Debug("llama.cpp: {Line}", message); break;
            }
        });
        if (_hosting.Command is not null && !((ExtendedActorSystem)Context.System).Provider.DefaultAddress.HasGlobalScope)
            _hosting = ModelHosting.InProcess("the actor system has no remoting for a model host to answer");
        if (_settings.Count > 0) _log.Info("Model pools run {Where}", _hosting.Description);
        foreach (var name in Served) Start(name);
    }

    /// <inheritdoc />
    protected override void PostStop() => _nativeLog?.Dispose();
}
