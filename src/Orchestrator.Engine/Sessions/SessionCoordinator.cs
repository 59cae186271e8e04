using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Steps;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Persistence;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workers;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Engine.Decisions.DispatchMessages;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Engine.Sessions;

/// <summary>A session: the persistent entity <c>session-&lt;id&gt;</c> of the <c>session</c> shard region. It holds the
/// session's <see cref="SessionState"/> (a fold over its events), decides with Core's pure code, persists, and runs a
/// <see cref="TaskWorker"/> per dispatched attempt. It asks the node's <see cref="DecisionEngine"/> for the tasks it
/// would dispatch and dispatches those granted, as the agent and on the model the grant names; it gives each slot back
/// when the attempt's outcome arrives (the engine frees all of them if the session stops). Outcomes that arrive while a write is in flight are persisted
/// together with the next dispatches in the following write; <c>TaskDispatched</c> is durable before its worker starts;
/// after a crash, recovery re-dispatches what was in flight and never reruns what completed.</summary>
public sealed class SessionCoordinator : EventSourcedEntity<SessionState>, IWithTimers
{
    private readonly SessionRuntime _runtime;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IPersistedEvent> _outcomes = [];
    private readonly Dictionary<TaskId, RunningAttempt> _workers = [];
    private readonly Dictionary<string, DispatchGrant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _holds = new(StringComparer.Ordinal);
    private IReadOnlyList<DispatchCandidate> _asked = [];
    private bool _awaitingAnswer;

    /// <summary>While the step waits for the decision engine's answer: its outcomes settled on the state it began from,
    /// planned again with the grants only when nothing changed meanwhile.</summary>
    private (SessionState From, SettledStep Step)? _settled;

    /// <summary>Whether the engine's last word lets this session carry its slots (<see cref="DispatchAnswer.MayCarry"/>):
    /// the slot of an attempt that ended, granted with no agent, goes to the next task of the same role without a round
    /// trip to the engine (a chain's step). <see cref="_freed"/>: such slots, kept for the next step, which carries
    /// them or gives them back.</summary>
    private bool _mayCarry;
    private readonly List<(DispatchGrant Grant, string Role)> _freed = [];
    private IActorRef? _summarizer;
    private bool _summaryUnwritten;
    private int _summaries;
    private readonly List<AgentCommands.IAgentReport> _replayedOutcomes = [];

    /// <summary>The reports (outcomes, verdicts) written within the registry's window, kept in snapshots (see
    /// <see cref="OnApplied"/>).</summary>
    private readonly List<AgentCommands.IAgentReport> _recentOutcomes = [];
    private readonly List<IActorRef> _askedWhileRecovering = [];
    private readonly SessionSpans _spans = new();
    private readonly SessionSubscribers _subscribers;
    private string? _startTrace;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the session <paramref name="sessionId"/>.</summary>
    public static Props Props(string sessionId, SessionRuntime runtime) =>
        Akka.Actor.Props.Create(() => new SessionCoordinator(sessionId, runtime));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public SessionCoordinator(string sessionId, SessionRuntime runtime) : base(SessionState.Empty(sessionId), runtime.SnapshotEvery)
    {
        _runtime = runtime;
        _subscribers = new SessionSubscribers(Context);
        PersistenceId = SessionId.PersistenceIdOf(sessionId);

        Recover<RecoveryCompleted>(_ =>
        {
            _askedWhileRecovering.Clear();
            runtime.RecoveryFailures.Clear(sessionId);
            // Attempts in flight at the crash have no outcome: they are dispatched again (a new attempt), unless the
            // node stopped during that task's attempts too often in a row: then it fails, lest it stop the node again.
            SessionLearning.Report(_runtime, _replayedOutcomes);
            _replayedOutcomes.Clear();
            State = State.RequeueInFlight();
            if (runtime.WriteRejections.Repeated(sessionId, runtime.MaxRejectedWrites) is { } rejected && !State.IsFinished)
            {
                // The same step would be planned and rejected again: the session fails with why instead.
                Handle(State.Abandon(rejected, runtime.Now));
                return;
            }
            _outcomes.AddRange(State.InterruptedTooOften(runtime.MaxInterruptions, runtime.Now));
            if (State.Lifecycle == SessionLifecycle.Running)
            {
                _spans.Began(State.SessionId, State.Workflow?.Name, null, recovered: true);
                Self.Tell(Step.Instance);
                Summarize();
            }
            else if (State.IsFinished)
                SetReceiveTimeout(runtime.FinishedIdle); // woken to answer a query: it sleeps again when left alone
        });

        Command<StartSession>(c => WhenIdle(() =>
        {
            _startTrace = c.TraceParent;
            Decided(SessionInputLimit.Refusal(State, c, runtime.MaxInputBytes)
                ?? State.Decide(c, runtime.Templates, runtime.Now).UnlessUnserved(State, runtime.Serving?.Current));
        }));
        Command<PauseSession>(c => WhenIdle(() => Decided(State.Decide(c, runtime.Now))));
        Command<ResumeSession>(c => WhenIdle(() => Decided(State.Decide(c, runtime.Now))));
        Command<CancelSession>(c => WhenIdle(() => Decided(State.Decide(c, runtime.Now))));
        Command<GetSessionStatus>(c => WhenIdle(() => Decided(State.Decide(c, runtime.Now))));
        Command<GetSessionDetail>(c => WhenIdle(() => Decided(State.Decide(c, runtime.DetailPageSize))));
        Command<AnswerHumanInput>(c => WhenIdle(() => Decided(State.Decide(c, runtime.Now))));
        Command<SubscribeToSession>(_ => WhenIdle(Subscribe));
        Command<UnsubscribeFromSession>(_ => WhenIdle(Unsubscribe));
        Command<WorkerReport>(OnReport);
        Command<DispatchAnswered>(OnDispatchAnswer);
        Command<DeliberationProgress>(OnProgress);
        Command<ContextSummarizer.Summary>(OnSummary);
        Command<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_summarizer)) _summarizer = null; // it crashed: tried again at the next completion
            else if (!_subscribers.Remove(t.ActorRef)) OnWorkerStopped(t.ActorRef);
        });
        Command<Step>(_ => TryStep());
        Command<AskAgain>(_ =>
        {
            // The same request again (the engine keeps one per session, so a repeat changes nothing): a request or an
            // answer lost with a restarted engine does not leave the session waiting for a grant nobody will give.
            if (_asked.Count > 0 && !State.IsFinished) _runtime.Decisions.Tell(new RequestDispatch(State.SessionId, _asked));
        });
        Command<AnswerOverdue>(_ =>
        {
            // The engine did not answer (it restarted): write what waited, and ask again with the next step.
            _awaitingAnswer = false;
            _asked = [];
            TryStep();
        });
        Command<ReceiveTimeout>(_ =>
        {
            if (State.IsFinished) Passivate();
        });
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>Notes who asked something while the session recovers (Akka stashes it meanwhile), so that a recovery that
    /// fails can answer them instead of leaving them to their timeout.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (IsRecovering && message is ISessionMessage && !Sender.IsNobody())
            _askedWhileRecovering.Add(Sender);
        return base.AroundReceive(receive, message);
    }

    /// <summary>A session whose events cannot be read back is recorded as such with the reason (its next incarnation
    /// answers with it at once, <see cref="UnrecoverableSession"/>, until it is time to try again), and whoever asked
    /// meanwhile is answered so now. Akka then stops it.</summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        base.OnRecoveryFailure(reason, message);
        var error = reason.InnerException is { } cause ? $"{reason.Message.TrimEnd('.')}: {cause.Message}" : reason.Message;
        var why = $"reading {PersistenceId} after sequence number {LastSequenceNr}" +
                  (message is null ? "" : $" (at a {message.GetType().Name})") + $" failed: {error}";
        _runtime.RecoveryFailures.Record(State.SessionId, why, _runtime.Now);
        var failure = _runtime.RecoveryFailures.Current(State.SessionId, _runtime.Now)!;
        _log.Warning("Session {SessionId} cannot be recovered: {Reason}; it answers with this and is tried again at {RetryAt}",
            State.SessionId, why, failure.RetryAt);
        foreach (var asker in _askedWhileRecovering)
            asker.Tell(UnrecoverableSession.Refusal(State.SessionId, failure));
        _askedWhileRecovering.Clear();
    }

    /// <inheritdoc />
    protected override string Name => $"Session {State.SessionId}";

    /// <summary>Outcomes arriving while a step is written are gathered into the next write; commands wait
    /// (<see cref="WhenIdle"/>).</summary>
    protected override bool HoldsMessagesWhileWriting => false;

    /// <inheritdoc />
    protected override SessionState Apply(SessionState state, IPersistedEvent e) => state.Apply(e);

    /// <inheritdoc />
    protected override SessionState ApplyAll(SessionState state, IReadOnlyList<IPersistedEvent> events) => state.ApplyAll(events);

    /// <inheritdoc />
    protected override SessionState FromSnapshot(object snapshot)
    {
        var s = (SessionSnapshots.SessionSnapshot)snapshot;
        // Reports the snapshot holds are not replayed as events: they are told again with those that are.
        _recentOutcomes.Clear();
        _recentOutcomes.AddRange(s.RecentReports);
        _replayedOutcomes.Clear();
        _replayedOutcomes.AddRange(_recentOutcomes);
        return SessionState.FromSnapshot(s);
    }

    /// <inheritdoc />
    protected override ISnapshotState ToSnapshot(SessionState state)
    {
        var since = _runtime.Now - AgentRegistryState.OutcomeWindow;
        _recentOutcomes.RemoveAll(o => o.At < since);
        return state.ToSnapshot().WithRecentReports(_recentOutcomes);
    }

    /// <summary>A snapshot holds every task, so it is taken at most once per that many events: its cost per event stays
    /// flat however large the plan (a chain of n steps would otherwise write O(n²) snapshot bytes).</summary>
    protected override bool SnapshotDue(int eventsSinceSnapshot) => eventsSinceSnapshot >= Math.Max(SnapshotEvery, State.Tasks.Count);

    /// <summary>What the registry and lessons learn of a write's outcomes, read from the state before it (a write holds
    /// at most one outcome per task). While the session replays, the outcomes it replays are kept to be reported again
    /// once it has recovered: one persisted just before a crash may never have reached the registry, which counts each
    /// attempt once.</summary>
    protected override void OnApplied(SessionState before, IReadOnlyList<IPersistedEvent> events)
    {
        foreach (var each in events)
        {
            var outcomes = SessionLearning.Outcomes(_runtime, before, each).ToList();
            _recentOutcomes.AddRange(outcomes);
            if (IsRecovering) _replayedOutcomes.AddRange(outcomes);
            else SessionLearning.Tell(_runtime, before, each);
        }
        if (!IsRecovering && _subscribers.Any)
            _subscribers.Tell(SessionNotices.Between(before, State, _runtime.DetailPageSize));
    }

    /// <summary>A rejected write is counted: the next incarnation fails the session after too many in a row.</summary>
    protected override void OnWriteRejected(Exception cause) => _runtime.WriteRejections.Record(State.SessionId, cause);

    /// <summary>Each written event goes to the live feed; a start and each attempt's outcome to the session's spans.</summary>
    protected override void OnPersisted(IPersistedEvent e)
    {
        _runtime.Feed.Publish(new SessionLiveEvent(State.SessionId, LastSequenceNr, e));
        if (e is SessionCreated created) _spans.Began(created.SessionId.Value, created.Workflow.Name, _startTrace, recovered: false);
        else _spans.Written(e);
    }

    /// <summary>After every write: commands that waited, then the end of the session (it stays up to answer, then
    /// passivates) or another step for outcomes that arrived meanwhile, and the summary of a grown conversation.</summary>
    protected override void OnWritten(IReadOnlyList<IPersistedEvent> events)
    {
        _runtime.WriteRejections.Clear(State.SessionId);
        Stash.UnstashAll();
        if (State.IsFinished)
        {
            // Clients usually ask for the result right after the end: the session stays up to answer them, then
            // passivates (and remember-entities forgets it) once left alone.
            _log.Info("Session {SessionId} {Lifecycle}: {Reason}", State.SessionId, State.Lifecycle, State.EndReason);
            CancelWorkers();
            _spans.Ended(State.Lifecycle.ToString().ToLowerInvariant(), failed: State.Lifecycle == SessionLifecycle.Failed);
            SetReceiveTimeout(_runtime.FinishedIdle);
        }
        else if (_outcomes.Count > 0 || _grants.Count > 0 || _workers.Count == 0 || events.Any(e => e is HumanInputAnswered or SessionResumed))
        {
            // A resume steps at once, tasks in flight or not: what waited while paused (a question's passed deadline, a
            // ready task) goes on now, not at the next report.
            TryStep();
        }
        if (events.Any(e => e is ContextSummarized))
            _summaryUnwritten = false;
        if (events.Any(e => e is TaskSucceeded or ContextSummarized))
            Summarize();
    }

    /// <summary>Commands wait while a step is being written: they are decided on the state that includes it.</summary>
    private void WhenIdle(Action handle)
    {
        if (IsWriting) Stash.Stash();
        else handle();
    }

    /// <summary>A command's result: written and answered by the entity base; a command that created nothing leaves no
    /// entity behind, and a cancellation stops the workers once it is written.</summary>
    private void Decided(CommandResult<SessionState> result)
    {
        if (result.Events.OfType<SessionCreated>().FirstOrDefault() is { } created)
            _log.Info("Session {SessionId} started from template {Template} with {TaskCount} tasks", created.SessionId,
                created.Workflow.Name, result.State.Tasks.Count);
        Handle(result, () =>
        {
            if (State.Lifecycle == SessionLifecycle.Cancelled)
                CancelWorkers();
        });
        if (result.PersistsNothing && State.Lifecycle == SessionLifecycle.New)
            Passivate(); // an unknown id or a refused start: nothing was created, nothing stays remembered
    }

    /// <summary>The sender subscribes to the session's notices (not persisted: it is watched, and its end unsubscribes
    /// it) and gets the session's picture; a session with no event answers it is not found, and nothing stays.</summary>
    private void Subscribe()
    {
        foreach (var notice in SessionNotices.OnSubscribe(State, _runtime.DetailPageSize)) Sender.Tell(notice);
        if (State.Lifecycle == SessionLifecycle.New) Passivate();
        else if (!State.IsFinished) _subscribers.Add(Sender);
    }

    /// <summary>The sender's subscription ends; a session with no event answers it is not found.</summary>
    private void Unsubscribe()
    {
        _subscribers.Remove(Sender);
        if (State.Lifecycle != SessionLifecycle.New) return;
        Sender.Tell(new SessionReplies.SessionNotFound(State.SessionId));
        Passivate();
    }

    private void OnReport(WorkerReport report)
    {
        Forget(Sender, report.TaskId);
        var accepted = report.Outcome switch
        {
            TaskSucceeded ok => State.Accepts(ok),
            TaskFailed failed => State.Accepts(failed),
            _ => false,
        };
        if (!accepted)
            return; // an attempt the session no longer waits for (an earlier one, or the session moved on)
        _outcomes.AddRange(report.Events);
        TryStep();
    }

    /// <summary>A council or chat node's transcript entries: persisted with the next step while its attempt is current.</summary>
    private void OnProgress(DeliberationProgress progress)
    {
        if (!_workers.TryGetValue(progress.TaskId, out var current) || !current.Worker.Equals(Sender)
            || !State.Tasks.TryGetValue(progress.TaskId, out var task) || task.State != TaskRunState.Dispatched || task.Attempt != progress.Attempt)
            return;
        _outcomes.AddRange(progress.Events);
        TryStep();
    }

    private void OnWorkerStopped(IActorRef worker)
    {
        var entry = _workers.FirstOrDefault(kv => kv.Value.Worker.Equals(worker));
        if (entry.Value.Worker is null)
            return; // it reported before it stopped
        Forget(worker, entry.Key);
        var task = State.Tasks[entry.Key];
        var failed = new TaskFailed(State.Id, entry.Key, task.Attempt, "the worker stopped without an outcome (it crashed)",
            null, Retryable: true, 0, _runtime.Now);
        if (State.Accepts(failed))
        {
            _outcomes.Add(failed);
            TryStep();
        }
    }

    private void Forget(IActorRef worker, TaskId taskId)
    {
        // Only the worker of the attempt in flight holds a slot; a late one of an earlier attempt holds none.
        if (_workers.TryGetValue(taskId, out var current) && current.Worker.Equals(worker))
        {
            _workers.Remove(taskId);
            Context.Unwatch(worker);
            var task = State.Tasks[taskId];
            // Kept for the next step only while the session runs: a finished or paused one dispatches nothing more.
            if (_mayCarry && State.Lifecycle == SessionLifecycle.Running && task is { Agent: null, Model: { } model } && task.Attempt == current.Attempt)
                _freed.Add((new DispatchGrant(State.SessionId, taskId.Value, current.Attempt, null, model), task.Spec.AgentRole));
            else
                _runtime.Decisions.Tell(new ReleaseDispatch(State.SessionId, taskId.Value, current.Attempt));
        }
    }

    /// <summary>The decision engine's grants (dispatched at the next step), refusals (the task fails with the reason:
    /// nothing here can run it) and the reasons it holds the others back.</summary>
    private void OnDispatchAnswer(DispatchAnswered answered)
    {
        var answer = answered.Answer;
        var awaited = _awaitingAnswer;
        _awaitingAnswer = false;
        Timers.Cancel(nameof(AnswerOverdue));
        foreach (var grant in answer.Grants) _grants[grant.TaskId] = grant;
        foreach (var hold in answer.Holds) _holds[hold.TaskId] = hold.Reason;
        // What the engine still wants for this session: what was asked, less what it granted or refused.
        if (answer.Grants.Count > 0 || answer.Refusals.Count > 0)
        {
            var decided = answer.Grants.Select(g => g.TaskId).Concat(answer.Refusals.Select(r => r.TaskId)).ToHashSet(StringComparer.Ordinal);
            _asked = _asked.Where(c => !decided.Contains(c.TaskId)).ToList();
        }
        _mayCarry = answer.MayCarry;
        if (!_mayCarry) GiveBackFreed();
        foreach (var refusal in answer.Refusals)
            if (TaskId.TryParse(refusal.TaskId, out var refused) && State.AwaitsDispatch(refused, refusal.Attempt))
                _outcomes.Add(new TaskFailed(State.Id, refused, refusal.Attempt, refusal.Reason, null, Retryable: false, 0, _runtime.Now));
        if (awaited || answer.Grants.Count > 0 || answer.Refusals.Count > 0)
            TryStep();
    }

    /// <summary>Plans and persists the next step, unless a write is in flight (its completion steps again); gives back
    /// the grants it did not use and asks the decision engine for what it wants next. A step that would dispatch nothing
    /// but asks for something new waits for the engine's answer (it comes at once, from this node) so that its outcomes
    /// and the dispatches they free go to the journal in one write.</summary>
    private void TryStep()
    {
        if (State.IsFinished) GiveBackFreed();
        if (IsWriting || _awaitingAnswer || State.Lifecycle is SessionLifecycle.New || State.IsFinished)
            return;
        var grants = new Dictionary<string, DispatchGrant>(_grants, StringComparer.Ordinal);
        var settled = _settled is { } kept && ReferenceEquals(kept.From, State) && kept.Step.OutcomesFolded == _outcomes.Count
            ? kept.Step
            : SessionStep.Settle(State, _outcomes.ToList(), _runtime.Now);
        _settled = null;
        var step = settled.Dispatch(grants, _runtime.Now, _runtime.ModelByRole, _holds);
        if (Carry(step.Wanted, grants))
            step = settled.Dispatch(grants, _runtime.Now, _runtime.ModelByRole, _holds);
        GiveBackFreed();
        if (Ask(step.Wanted) && step.Dispatches.Count == 0)
        {
            _settled = (State, settled);
            _awaitingAnswer = true;
            Timers.StartSingleTimer(nameof(AnswerOverdue), AnswerOverdue.Instance, TimeSpan.FromSeconds(2));
            return;
        }
        _outcomes.Clear();
        _grants.Clear();
        foreach (var dispatch in step.Dispatches) grants.Remove(dispatch.TaskId.Value);
        foreach (var unused in grants.Values)
            if (!IsRunning(unused))
                _runtime.Decisions.Tell(new ReleaseDispatch(State.SessionId, unused.TaskId, unused.Attempt));

        if (step.WakeAt is { } wake)
            Timers.StartSingleTimer(nameof(Step), Step.Instance, Max(wake - _runtime.Now, TimeSpan.FromMilliseconds(1)));
        if (step.Events.Count > 0)
            Write(step.Events, step.State, () =>
            {
                if (step.Dispatches.Count > 0 && _log.IsDebugEnabled)
                    _log.Debug("Session {SessionId} dispatched {TaskIds}", State.SessionId, string.Join(", ", step.Dispatches.Select(d => d.TaskId)));
                foreach (var dispatch in step.Dispatches)
                    StartWorker(TaskAssignment.For(State, dispatch));
            });
    }

    /// <summary>Passes the freed slots to the <paramref name="wanted"/> tasks of their roles that need no capability, into
    /// <paramref name="grants"/>, telling the engine of each; true when any was carried.</summary>
    private bool Carry(IReadOnlyList<DispatchCandidate> wanted, Dictionary<string, DispatchGrant> grants)
    {
        if (!_mayCarry || _freed.Count == 0) return false;
        var carried = false;
        foreach (var candidate in wanted.Where(c => c.Capabilities.Count == 0))
        {
            var i = _freed.FindIndex(f => f.Role == candidate.Role);
            if (i < 0) continue;
            var from = _freed[i].Grant;
            _freed.RemoveAt(i);
            var to = new DispatchGrant(State.SessionId, candidate.TaskId, candidate.Attempt, null, from.Model);
            _runtime.Decisions.Tell(new CarryDispatch(State.SessionId, from.TaskId, from.Attempt, to));
            grants[to.TaskId] = _grants[to.TaskId] = to; // kept until a step dispatches it or gives it back, as any grant
            carried = true;
        }
        return carried;
    }

    /// <summary>Gives the engine back every freed slot no task was carried to.</summary>
    private void GiveBackFreed()
    {
        foreach (var (grant, _) in _freed) _runtime.Decisions.Tell(new ReleaseDispatch(State.SessionId, grant.TaskId, grant.Attempt));
        _freed.Clear();
    }

    /// <summary>Whether <paramref name="grant"/> is the one its task already runs on (answered again to a repeated
    /// request): its slot is the running attempt's, given back with its outcome, not now.</summary>
    private bool IsRunning(DispatchGrant grant) =>
        TaskId.TryParse(grant.TaskId, out var id) && State.Tasks.TryGetValue(id, out var task) && task.State == TaskRunState.Dispatched && task.Attempt == grant.Attempt;

    /// <summary>Tells the decision engine what the session would dispatch now, when that changed since it last asked;
    /// true when it asked for something.</summary>
    private bool Ask(IReadOnlyList<DispatchCandidate> wanted)
    {
        if (wanted.Count == _asked.Count && wanted.Select(c => (c.TaskId, c.Attempt)).SequenceEqual(_asked.Select(c => (c.TaskId, c.Attempt))))
            return false;
        _asked = wanted;
        _holds.Clear();
        _runtime.Decisions.Tell(new RequestDispatch(State.SessionId, wanted));
        if (wanted.Count == 0) Timers.Cancel(nameof(AskAgain));
        else if (!Timers.IsTimerActive(nameof(AskAgain)))
            Timers.StartPeriodicTimer(nameof(AskAgain), AskAgain.Instance, AskAgainEvery);
        return wanted.Count > 0;
    }

    /// <summary>Starts the worker of one attempt: a council or group chat coordinator for such nodes, a
    /// <see cref="TaskWorker"/> otherwise.</summary>
    private void StartWorker(TaskAssignment assignment)
    {
        var d = assignment.Dispatch;
        var trace = _spans.AttemptStarted(d);
        var worker = assignment.Task.Council is null && assignment.Task.Chat is null
            ? Context.ActorOf(
                TaskWorker.Props(assignment, _runtime.Models, _runtime.Feed, _runtime.MaxTokens, _runtime.Sampling, () => _runtime.Now, _runtime.Lessons,
                    _runtime.TokenTopics, trace),
                $"worker-{Uri.EscapeDataString(d.TaskId.Value)}-{d.Attempt}")
            : StartDeliberation(assignment, trace);
        Context.Watch(worker);
        _workers[d.TaskId] = new RunningAttempt(worker, d.Attempt);
    }

    /// <summary>A council or group chat node's attempt, with the transcript an earlier attempt left unfinished.</summary>
    private IActorRef StartDeliberation(TaskAssignment work, ActivityContext trace)
    {
        var id = work.Dispatch.TaskId;
        var order = new DeliberationOrder(work, _runtime.Models, _runtime.ModelByRole, _runtime.MaxTokens, _runtime.Sampling,
            () => _runtime.Now, _runtime.Councils, State.Transcripts.CouncilOf(id), State.Transcripts.ChatOf(id), _runtime.Feed,
            _runtime.TokenTopics, _runtime.Decisions, _runtime.Agents, trace);
        return work.Task.Council is not null
            ? Context.ActorOf(CouncilCoordinator.Props(order), $"council-{Uri.EscapeDataString(id.Value)}-{work.Dispatch.Attempt}")
            : Context.ActorOf(GroupChatCoordinator.Props(order), $"chat-{Uri.EscapeDataString(id.Value)}-{work.Dispatch.Attempt}");
    }

    /// <summary>Asks the summarizer agent to fold the oldest turns of the shared history once it has grown past
    /// <c>summarize-above</c>; one request at a time, and none while the previous summary is not yet written: the turns a
    /// summary folds are counted from the front of the conversation it was asked of, so the next one is asked of the
    /// conversation after it. Tasks dispatched meanwhile get the history cut to fit.</summary>
    private void Summarize()
    {
        if (_summarizer is not null || _summaryUnwritten || State.IsFinished
            || State.Settings.Context is not { ShareHistory: true, Limits: { SummarizerRole: { } role } limits })
            return;
        var context = State.Conversation.In(limits);
        var turns = context.NeedsSummary.Count;
        if (turns == 0) return;
        var model = RoleModels.ModelOf(_runtime.ModelByRole, role);
        _summaries++;
        _summarizer = Context.ActorOf(ContextSummarizer.Props(State.SessionId, _summaries, model, context.SummaryPrompt(), turns,
            _runtime.Models, _runtime.MaxTokens, _runtime.Sampling, TimeSpan.FromMinutes(2)), $"summarizer-{_summaries}");
        Context.Watch(_summarizer);
    }

    /// <summary>The summarizer's answer: persisted with the next step; a failure is logged and tried again later.</summary>
    private void OnSummary(ContextSummarizer.Summary summary)
    {
        if (_summarizer is null || !_summarizer.Equals(Sender)) return;
        Context.Unwatch(_summarizer);
        _summarizer = null;
        if (summary.Text is null)
        {
            _log.Warning("Session {SessionId}: summarizing its conversation failed ({Problem}); it is tried again at the next completion",
                State.SessionId, summary.Problem);
            return;
        }
        if (State.IsFinished) return;
        _summaryUnwritten = true;
        _outcomes.Add(new ContextSummarized(State.Id, summary.Text, summary.TurnsFolded, _runtime.Now));
        TryStep();
    }

    private void CancelWorkers()
    {
        foreach (var (taskId, running) in _workers.ToList())
        {
            Forget(running.Worker, taskId);
            Context.Stop(running.Worker); // it tells its model to stop generating
        }
        Ask([]);
    }

    private void Passivate()
    {
        // Under sharding this also makes remember-entities forget the session; elsewhere the parent ignores it.
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    /// <summary>A session that stops before its end (passivated, or its node stopping) ends its span here.</summary>
    protected override void PostStop()
    {
        _spans.Ended("stopped");
        base.PostStop();
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() =>
        // A crashing worker stops; the session sees it terminate and records a retryable failure.
        new OneForOneStrategy(_ => Directive.Stop);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Repeat the standing request to the decision engine.</summary>
    private sealed record AskAgain : INoSerializationVerificationNeeded
    {
        public static readonly AskAgain Instance = new();
    }

    /// <summary>The decision engine has not answered a request in time.</summary>
    private sealed record AnswerOverdue : INoSerializationVerificationNeeded
    {
        public static readonly AnswerOverdue Instance = new();
    }

    /// <summary>The worker of the attempt in flight of a task.</summary>
    private readonly record struct RunningAttempt(IActorRef Worker, int Attempt);

    /// <summary>Decide again (a back-off or spacing ended, or the node had no free slot).</summary>
    internal sealed record Step : INoSerializationVerificationNeeded
    {
        public static readonly Step Instance = new();
    }
}
