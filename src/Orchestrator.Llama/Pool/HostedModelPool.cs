using Akka;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Processes;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Pool;

/// <summary>The node's side of one model pool run in its own process (a model host), in the place a
/// <see cref="ModelPool"/> takes in process: a native abort or crash there costs the host and the generations it holds,
/// never the node. It starts the host (the node's <c>model-host</c> verb), finds the host's model actor over remoting,
/// and relays <see cref="Generate"/> to it and every reply back to its requester; requests that arrive while the host
/// starts wait here, up to the pool's capacity. When the host ends or stops answering, each request it held is answered
/// <see cref="GenerateFailed"/> with how it ended (and its last log line), and the pool reports itself broken to its
/// <see cref="ModelManager"/>, which starts a new one after its back-off.</summary>
public sealed class HostedModelPool : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan LoadPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The most text a request may carry to a host: far beyond any context, and, even escaped in JSON at six
    /// bytes a character, within the node's remoting frame (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>, 4 MiB).</summary>
    internal const int MaxRequestChars = 512 * 1024;

    private readonly PoolSettings _settings;
    private readonly NodeChildCommand _command;
    private readonly Probe.ModelProbe? _probe;
    private readonly TimeSpan _connectTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _requesters = new(StringComparer.Ordinal);
    private readonly List<(Generate Request, IActorRef Requester)> _waiting = [];
    private ModelHostProcess? _process;
    private IActorRef? _host;
    private bool _loaded;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a pool of <paramref name="settings"/> run by <paramref name="command"/>; with a
    /// <paramref name="probe"/>, the host probes a model file not seen before. The host must listen within
    /// <paramref name="connectTimeout"/> (default 60 s).</summary>
    public static Props Props(PoolSettings settings, NodeChildCommand command, Probe.ModelProbe? probe = null, TimeSpan? connectTimeout = null) =>
        Akka.Actor.Props.Create(() => new HostedModelPool(settings, command, probe, connectTimeout ?? TimeSpan.FromSeconds(60)));

    private sealed record HostListening(string Path) : INoSerializationVerificationNeeded;

    private sealed record HostEnded(string Reason) : INoSerializationVerificationNeeded;

    private sealed record ConnectTimedOut : INoSerializationVerificationNeeded
    {
        public static ConnectTimedOut Instance { get; } = new();
    }

    private sealed record PollLoaded : INoSerializationVerificationNeeded
    {
        public static PollLoaded Instance { get; } = new();
    }

    /// <summary>The host's actor is gone and its process has not been seen to end within <see cref="ExitReportGrace"/>.</summary>
    private sealed record HostSilent : INoSerializationVerificationNeeded
    {
        public static HostSilent Instance { get; } = new();
    }

    /// <summary>Asks the pool to stop its host ahead of the node's own stop, so that the host's remoting says goodbye
    /// while the node's still listens; answered <see cref="Done"/> once the host has ended. From then on every request
    /// is refused.</summary>
    internal sealed record StopHost(TimeSpan Grace) : INoSerializationVerificationNeeded;

    /// <summary>How long a pool whose host's actor is gone (remoting saw the connection drop) waits for the process's
    /// exit (with its signal and last log line, the reason a requester is told) before failing without it.</summary>
    private static readonly TimeSpan ExitReportGrace = TimeSpan.FromSeconds(5);

    /// <summary>Creates the pool; the host starts in <see cref="PreStart"/>.</summary>
    public HostedModelPool(PoolSettings settings, NodeChildCommand command, Probe.ModelProbe? probe, TimeSpan connectTimeout)
    {
        _settings = settings;
        _command = command;
        _probe = probe;
        _connectTimeout = connectTimeout;
        Starting();
    }

    private int Capacity => _settings.Sequences + _settings.QueueSize;

    /// <summary>The host is starting: requests wait here.</summary>
    private void Starting()
    {
        Receive<Generate>(g =>
        {
            if (!Admit(g)) return;
            _waiting.Add((g, Sender));
        });
        Receive<CancelGenerate>(c =>
        {
            var i = _waiting.FindIndex(w => w.Request.RequestId == c.RequestId);
            if (i < 0) return;
            var (request, requester) = _waiting[i];
            _waiting.RemoveAt(i);
            _requesters.Remove(request.RequestId);
            requester.Tell(new GenerateResult(request.RequestId, _settings.Name, "", 0, 0, StopReason.Cancelled,
                new GenerateTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)));
        });
        Receive<HostListening>(l =>
        {
            _log.Debug("Model host of {Model} listens at {Path}", _settings.Name, l.Path);
            Context.ActorSelection(l.Path).Tell(new Identify(l.Path));
        });
        Receive<ActorIdentity>(id =>
        {
            if (id.Subject is null)
            {
                Fail($"the model host of '{_settings.Name}' listens but its model actor {id.MessageId} was not found");
                return;
            }
            _host = id.Subject;
            Context.Watch(_host);
            Timers.Cancel(ConnectTimedOut.Instance);
            Timers.StartPeriodicTimer(PollLoaded.Instance, PollLoaded.Instance, LoadPoll);
            foreach (var (request, requester) in _waiting) _host.Tell(request, Self);
            _waiting.Clear();
            Become(Serving);
        });
        Receive<ConnectTimedOut>(_ => Fail($"the model host of '{_settings.Name}' did not listen within {_connectTimeout.TotalSeconds:F0} s"));
        Common();
    }

    /// <summary>The host answers: requests go to it, its replies to their requesters.</summary>
    private void Serving()
    {
        Receive<Generate>(g =>
        {
            if (Admit(g)) _host!.Tell(g, Self);
        });
        Receive<CancelGenerate>(c => _host!.Tell(c, Self));
        Receive<PollLoaded>(_ => _host!.Tell(new ModelQueries.GetModelStats(_settings.Name), Self));
        Receive<ModelQueries.ModelStats>(s =>
        {
            if (_loaded || !s.Loaded) return;
            _loaded = true;
            Timers.Cancel(PollLoaded.Instance);
            Context.Parent.Tell(new ModelManager.PoolLoaded(_settings.Name, s.NativeVariant));
        });
        Receive<ModelQueries.GetModelStats>(q => _host!.Forward(q));
        Receive<Terminated>(t =>
        {
            // Remoting often sees the connection drop before the process's exit is reported: wait for the exit's reason.
            if (t.ActorRef.Equals(_host)) Timers.StartSingleTimer(HostSilent.Instance, HostSilent.Instance, ExitReportGrace);
        });
        Receive<HostSilent>(_ => Fail($"the model host of '{_settings.Name}' stopped answering"));
        Common();
    }

    /// <summary>Replies, the host's end and status, whatever the state.</summary>
    private void Common()
    {
        Receive<TokenChunk>(c => Relay(c.RequestId, c, final: false));
        Receive<GenerateResult>(r => Relay(r.RequestId, r, final: true));
        Receive<GenerateFailed>(f => Relay(f.RequestId, f, final: true));
        Receive<Overloaded>(o => Relay(o.RequestId, o, final: true));
        Receive<HostEnded>(e => Fail(e.Reason));
        Receive<ModelQueries.GetModelStats>(_ => Sender.Tell(NotLoadedStats()));
        Receive<ModelPool.GetStatus>(_ => Sender.Tell(Status()));
        Receive<StopHost>(s =>
        {
            var reason = $"the node is stopping: the pool of model '{_settings.Name}' no longer serves.";
            foreach (var (id, requester) in _requesters)
                requester.Tell(new GenerateFailed(id, _settings.Name, FailureCodes.PoolFailed, reason));
            _requesters.Clear();
            _waiting.Clear();
            Timers.CancelAll();
            ReplyOnceHostStopped(s.Grace);
            Become(() => Broken(reason));
        });
    }

    /// <summary>After the host ended: every request is answered with why, until the manager stops this pool.</summary>
    private void Broken(string reason)
    {
        Receive<Generate>(g => Sender.Tell(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.PoolFailed, reason)));
        Receive<ModelQueries.GetModelStats>(_ => Sender.Tell(NotLoadedStats()));
        Receive<ModelPool.GetStatus>(_ => Sender.Tell(Status()));
        Receive<StopHost>(h => ReplyOnceHostStopped(h.Grace));
        ReceiveAny(_ => { });
    }

    /// <summary>Stops the host (if it still runs) and answers the sender <see cref="Done"/> once it has ended.</summary>
    private void ReplyOnceHostStopped(TimeSpan grace) =>
        (_process?.Stop(grace) ?? Task.CompletedTask).ContinueWith(_ => Done.Instance, TaskScheduler.Default).PipeTo(Sender);

    private bool Admit(Generate g)
    {
        var chars = TextLength(g);
        if (chars > MaxRequestChars)
        {
            Sender.Tell(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.PromptTooLong,
                $"the request carries {chars} characters; a model host takes at most {MaxRequestChars}."));
            return false;
        }
        if (_requesters.Count >= Capacity)
        {
            Sender.Tell(new Overloaded(g.RequestId, _settings.Name, _requesters.Count));
            return false;
        }
        if (RequestIds.Refusal(g.RequestId, _requesters.ContainsKey(g.RequestId ?? "")) is { } refused)
        {
            Sender.Tell(new GenerateFailed(g.RequestId ?? "", _settings.Name, FailureCodes.InvalidRequest, refused));
            return false;
        }
        _requesters[g.RequestId!] = Sender; // given: the refusal holds the id to be set
        return true;
    }

    /// <summary>The characters of text a request carries (prompt, messages, grammar, schema, stop strings).</summary>
    private static int TextLength(Generate g) =>
        (g.Prompt?.Length ?? 0) + (g.Messages?.Sum(m => (m?.Content?.Length ?? 0) + (m?.Role?.Length ?? 0)) ?? 0) +
        (g.Grammar?.Length ?? 0) + (g.JsonSchema?.Length ?? 0) + (g.Stop?.Sum(s => s?.Length ?? 0) ?? 0);

    private void Relay(string requestId, object reply, bool final)
    {
        if (!_requesters.TryGetValue(requestId, out var requester)) return;
        if (final) _requesters.Remove(requestId);
        requester.Tell(reply);
    }

    private void Fail(string why)
    {
        var reason = $"{why}; it is restarting, retry shortly.";
        _log.Error("Model pool {Model} failed: {Reason}", _settings.Name, why);
        foreach (var (id, requester) in _requesters)
            requester.Tell(new GenerateFailed(id, _settings.Name, FailureCodes.PoolFailed, reason));
        _requesters.Clear();
        _waiting.Clear();
        Timers.CancelAll();
        _process?.Dispose();
        _loaded = false;
        Become(() => Broken(reason));
        Context.Parent.Tell(new ModelManager.PoolBroken(_settings.Name, why));
    }

    private ModelQueries.ModelStats NotLoadedStats() =>
        new(_settings.Name, false, _requesters.Count, 0, _settings.Sequences, 0, ModelPool.RateWindow, 0, 0, 0, 0);

    private ModelPool.PoolStatus Status() =>
        new(_settings.Name, _process is null ? null : $"model host pid {_process.ProcessId}", _requesters.Count, Capacity);

    /// <inheritdoc />
    protected override void PreStart()
    {
        var self = Self;
        var name = _settings.Name;
        var log = Logging.GetLogger(Context.System, $"model-host.{name}");
        try
        {
            _process = ModelHostProcess.Start(_command, new ModelHostStart(_settings, _probe?.CacheFolder, _probe?.Timeout ?? TimeSpan.Zero),
                path => self.Tell(new HostListening(path)),
                line =>
                {
                    var (level, text) = ModelHostLines.Read(line, _process?.Stopping ?? false);
                    log.Log(level, null, "{Line}", text);
                },
                reason => self.Tell(new HostEnded(reason)));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            self.Tell(new HostEnded($"the model host of '{name}' could not be started: {e.Message}"));
            return;
        }
        Timers.StartSingleTimer(ConnectTimedOut.Instance, ConnectTimedOut.Instance, _connectTimeout);
        _log.Info("Model pool {Model} starting in a model host (pid {Pid}) from {Path} ({Sequences} sequences, context {Context})",
            name, _process.ProcessId, _settings.Path, _settings.Sequences, _settings.ContextSize);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        foreach (var (id, requester) in _requesters)
            requester.Tell(new GenerateFailed(id, _settings.Name, FailureCodes.PoolFailed, $"the pool of model '{_settings.Name}' stopped."));
        _process?.Dispose();
    }
}
