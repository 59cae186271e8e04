using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>One session of a benchmark: the real <see cref="SessionCoordinator"/> as a persistent entity under a
/// <see cref="SessionHost"/>, with an <see cref="InstantModel"/>, its own live feed and node slots enough for any DAG
/// here.</summary>
internal sealed class SessionRun
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly ActorSystem _system;
    private readonly WorkflowTemplate _template;
    private readonly LiveFeed<SessionLiveEvent> _feed = new();
    private readonly RequestCounter _requests = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IActorRef _model;
    private readonly IActorRef _decisions;
    private IActorRef? _host;

    /// <summary>A session of <paramref name="template"/>; the model answers what <paramref name="answers"/> accepts (all
    /// by default); the node has <paramref name="nodeSlots"/> dispatch slots. <paramref name="withoutEngine"/>: its dispatches
    /// are granted by <see cref="GrantAllDecisions"/> instead of the node's decision engine (the path before it).</summary>
    public SessionRun(ActorSystem system, WorkflowTemplate template, Func<Core.Models.ModelMessages.Generate, bool>? answers = null,
        int nodeSlots = 1_000_000, bool withoutEngine = false)
    {
        _system = system;
        _template = template;
        _decisions = system.ActorOf(withoutEngine ? GrantAllDecisions.Props() : DecisionEngine.Props(DecisionEngineSettings.Of(nodeSlots)));
        _model = system.ActorOf(InstantModel.Props(answers ?? (_ => true), _requests));
        Id = $"{template.Name}-{Guid.NewGuid():N}"[..Math.Min(64, template.Name.Length + 33)];
    }

    /// <summary>The session id.</summary>
    public string Id { get; }

    /// <summary>The requests the model saw.</summary>
    public int Requests => _requests.Count;

    /// <summary>The entity as its host: commands go here.</summary>
    public IActorRef Session => _host ?? throw new InvalidOperationException("not started");

    /// <summary>Creates the entity and starts the session; returns once it answered <c>SessionStarted</c>.</summary>
    public async Task StartAsync()
    {
        // A finished session passivates at once here (a node keeps it up a minute for queries): each run waits for it.
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { [_template.Name] = _template }, _model, _decisions, _feed,
            FinishedIdleTimeout: TimeSpan.FromMilliseconds(1));
        if (Experiment.SessionSnapshotEvery is { } every)
            runtime = runtime with { SnapshotEvery = every };
        _host = _system.ActorOf(SessionHost.Props(SessionCoordinator.Props(Id, runtime), _stopped));
        var reply = await _host.Ask<ISessionReply>(new StartSession(Id, _template.Name, new Dictionary<string, string>()), Timeout);
        if (reply is not SessionStarted)
            throw new InvalidOperationException($"session {Id} did not start: {reply}");
    }

    /// <summary>Time from <c>StartSession</c> to the persisted <c>SessionCompleted</c> (the entity created on the way, as
    /// a shard creates it); checks that every task ran once and waits for the entity to passivate.</summary>
    public async Task<Timed> RunToCompletionAsync()
    {
        var end = _feed.SubscribeNow(e => e.Event is SessionCompleted or SessionFailed or SessionCancelled, 16)
            .RunWith(Sink.First<FeedItem<SessionLiveEvent>>(), _system.Materializer());
        await ReadyAsync();
        var watch = Timed.Start();
        await StartAsync();
        var last = await end.WaitAsync(Timeout);
        var elapsed = watch.Stop();
        if (last is not FeedItem<SessionLiveEvent>.Event { Value.Event: SessionCompleted })
            throw new InvalidOperationException($"session {Id} ended with {last}");
        await _stopped.Task.WaitAsync(Timeout);
        _system.Stop(_model);
        _system.Stop(_decisions);
        if (Requests != _template.Nodes.Count)
            throw new InvalidOperationException($"session {Id}: the model saw {Requests} requests for {_template.Nodes.Count} tasks");
        return elapsed;
    }

    /// <summary>Waits until the decision engine and the model actor have started (an actor is built when it first runs,
    /// after <c>ActorOf</c> returns): a node's are up before any session starts, so their start is not timed.</summary>
    private async Task ReadyAsync()
    {
        foreach (var actor in new[] { _decisions, _model })
            await actor.Ask<ActorIdentity>(new Identify(null), Timeout);
    }

    /// <summary>The session's status.</summary>
    public async Task<SessionStatus> StatusAsync() =>
        (SessionStatus)await Session.Ask<ISessionReply>(new GetSessionStatus(Id), Timeout);

    /// <summary>Cancels the session and waits for the entity to stop.</summary>
    public async Task StopAsync()
    {
        await Session.Ask<ISessionReply>(new CancelSession(Id, "benchmark over"), Timeout);
        await _stopped.Task.WaitAsync(Timeout);
        _system.Stop(_model);
        _system.Stop(_decisions);
    }
}
