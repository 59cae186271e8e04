using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Grammar;
using Orchestrator.Llama.Native;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Pool;

/// <summary>One loaded model serving <see cref="Generate"/> requests with continuous batching. The actor only checks
/// requests, bounds the queue and hands work to its <see cref="ContinuousBatcher"/>, whose own thread does every
/// native call and replies straight to the requester. A failure of the batcher fails this actor, which its
/// <see cref="ModelManager"/> restarts with back-off; requests in flight get <see cref="GenerateFailed"/>. It counts what
/// it serves and answers <see cref="ModelQueries.GetModelStats"/>, sampling the tokens generated every second for a
/// moving rate.</summary>
public sealed class ModelPool : ReceiveActor, IWithTimers
{
    /// <summary>How far back the pool's tokens/s looks.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly PoolSettings _settings;
    private readonly Probe.ModelProbe? _probe;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly TokenRateWindow _rate = new(RateWindow);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ContinuousBatcher? _batcher;
    private bool _loaded;
    private long _served;
    private long _failed;
    private long _rejected;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a pool for <paramref name="settings"/>; with a <paramref name="probe"/>, a model file not seen
    /// before is first loaded in a child process.</summary>
    public static Props Props(PoolSettings settings, Probe.ModelProbe? probe = null) =>
        Akka.Actor.Props.Create(() => new ModelPool(settings, probe));

    /// <summary>Asks a pool for its <see cref="PoolStatus"/>.</summary>
    public sealed record GetStatus
    {
        /// <summary>The one instance.</summary>
        public static GetStatus Instance { get; } = new();
    }

    /// <summary>What a pool is doing: its model, whether loaded, and the requests it holds.</summary>
    public sealed record PoolStatus(string Model, string? Description, int InFlight, int Capacity);

    internal sealed record RequestFinished(string RequestId, bool Failed) : INoSerializationVerificationNeeded;

    internal sealed record ModelLoaded : INoSerializationVerificationNeeded
    {
        public static ModelLoaded Instance { get; } = new();
    }

    private sealed record SampleRate : INoSerializationVerificationNeeded
    {
        public static SampleRate Instance { get; } = new();
    }

    internal sealed record BatcherFaulted(Exception Cause) : INoSerializationVerificationNeeded;


    /// <summary>Creates the pool; the model is loaded on the pool's own thread once it starts.</summary>
    public ModelPool(PoolSettings settings, Probe.ModelProbe? probe = null)
    {
        _settings = settings;
        _probe = probe;
        Receive<Generate>(OnGenerate);
        Receive<CancelGenerate>(c => _batcher!.Cancel(c.RequestId));
        Receive<RequestFinished>(f =>
        {
            if (!_inFlight.Remove(f.RequestId)) return;
            if (f.Failed) _failed++;
            else _served++;
        });
        Receive<ModelLoaded>(_ =>
        {
            _loaded = true;
            Context.Parent.Tell(new ModelManager.PoolLoaded(_settings.Name, LlamaRuntime.Variant));
        });
        Receive<SampleRate>(_ => _rate.Record(_clock.Elapsed, _batcher!.GeneratedTokens));
        Receive<ModelQueries.GetModelStats>(_ => Sender.Tell(Stats()));
        Receive<BatcherFaulted>(f =>
        {
            // Not thrown: a stopping actor's mailbox goes to dead letters, and a request there would get no answer.
            // Broken, the pool answers every request its manager forwarded before it learned of the failure; the
            // manager stops it with a PoisonPill queued behind them, and starts it again with back-off.
            var reason = $"the pool of model '{_settings.Name}' failed: {f.Cause.Message}; it is restarting, retry shortly.";
            Context.GetLogger().Error(f.Cause, "Model pool {Model} failed", _settings.Name);
            _loaded = false;
            Become(() => Broken(reason));
            Context.Parent.Tell(new ModelManager.PoolBroken(_settings.Name, f.Cause.Message));
        });
        Receive<GetStatus>(_ => Sender.Tell(new PoolStatus(_settings.Name, _batcher?.Description, _inFlight.Count,
            _settings.Sequences + _settings.QueueSize)));
    }

    /// <summary>After the batcher failed: every request is answered with the failure until the manager stops the pool.</summary>
    private void Broken(string reason)
    {
        Receive<Generate>(g => Refuse(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.PoolFailed, reason)));
        Receive<CancelGenerate>(_ => { });
        Receive<RequestFinished>(f =>
        {
            if (_inFlight.Remove(f.RequestId)) _failed++;
        });
        Receive<ModelQueries.GetModelStats>(_ => Sender.Tell(Stats()));
        Receive<GetStatus>(_ => Sender.Tell(new PoolStatus(_settings.Name, _batcher?.Description, _inFlight.Count, Capacity)));
        ReceiveAny(_ => { });
    }

    /// <summary>Most requests held at once: one per sequence plus the queue.</summary>
    private int Capacity => _settings.Sequences + _settings.QueueSize;

    private ModelQueries.ModelStats Stats()
    {
        var generated = _batcher!.GeneratedTokens;
        var active = Math.Min(_batcher.ActiveSequences, _inFlight.Count);
        return new ModelQueries.ModelStats(_settings.Name, _loaded, _inFlight.Count - active, active, _settings.Sequences,
            _rate.PerSecond(_clock.Elapsed, generated), RateWindow, generated, _served, _failed, _rejected,
            _loaded ? LlamaRuntime.Variant : null);
    }

    private void Refuse(object reply)
    {
        _failed++;
        Sender.Tell(reply);
    }

    private void OnGenerate(Generate g)
    {
        var error = Check(g);
        if (error is not null)
        {
            Refuse(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.InvalidRequest, error));
            return;
        }
        var grammar = g.Grammar;
        if (g.JsonSchema is not null)
        {
            try
            {
                grammar = JsonSchemaToGbnf.Convert(g.JsonSchema);
            }
            catch (JsonSchemaException e)
            {
                Refuse(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.InvalidGrammar, e.Message));
                return;
            }
        }
        if (_inFlight.Count >= Capacity)
        {
            _rejected++;
            Sender.Tell(new Overloaded(g.RequestId, _settings.Name, _inFlight.Count));
            return;
        }
        if (!_inFlight.Add(g.RequestId))
        {
            Refuse(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.InvalidRequest, RequestIds.Refusal(g.RequestId, inFlight: true)!));
            return;
        }
        var sender = Sender;
        var self = Self;
        var log = _log;
        _batcher!.Submit(new PendingRequest(g, grammar, message =>
        {
            try
            {
                sender.Tell(message, self);
            }
            catch (Exception e)
            {
                // A reply that cannot be delivered must not take the batcher (and every other request) down.
                log.Error(e, "Could not deliver {Message} for request {RequestId}", message.GetType().Name, g.RequestId);
            }
        }));
    }

    private static string? Check(Generate g)
    {
        if (RequestIds.Refusal(g.RequestId, inFlight: false) is { } refused) return refused;
        if (g.Prompt is null && g.Messages is not { Count: > 0 }) return "the request has neither a prompt nor messages.";
        if (g.Prompt is not null && g.Messages is { Count: > 0 }) return "the request has both a prompt and messages.";
        if (g.Grammar is not null && g.JsonSchema is not null) return "the request has both a grammar and a JSON schema.";
        if (g.MaxTokens < 1) return $"max tokens must be positive, not {g.MaxTokens}.";
        if (g.Timeout is { } t && t <= TimeSpan.Zero) return $"the timeout must be positive, not {t}.";
        if (g.Sampling is { } s && (float.IsNaN(s.Temperature) || s.RepeatPenalty <= 0 || s.TopP is < 0 or > 1 || s.MinP is < 0 or > 1))
            return "the sampling options are out of range.";
        return null;
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        var self = Self;
        _batcher = new ContinuousBatcher(_settings,
            e => self.Tell(new BatcherFaulted(e)),
            (id, failed) => self.Tell(new RequestFinished(id, failed)),
            () => self.Tell(ModelLoaded.Instance),
            _probe);
        _batcher.Start();
        _rate.Record(_clock.Elapsed, 0);
        Timers.StartPeriodicTimer("sample-rate", SampleRate.Instance, TimeSpan.FromSeconds(1));
        _log.Info("Model pool {Model} starting from {Path} ({Sequences} sequences, context {Context})",
            _settings.Name, _settings.Path, _settings.Sequences, _settings.ContextSize);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _batcher?.Stop();
        _log.Info("Model pool {Model} stopped", _settings.Name);
    }
}
