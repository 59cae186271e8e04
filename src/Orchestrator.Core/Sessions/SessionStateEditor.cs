using System.Collections.Immutable;
using Orchestrator.Core.Ids;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Sessions;

/// <summary>Builders over one <see cref="SessionState"/> while an event is applied, so that a step touching many tasks
/// costs O(k log n), and the index rules (ready, skip, release) live in one place.</summary>
internal sealed class SessionStateEditor(SessionState state)
{
    // Each builder is made on first use: an event touches only some indexes, and an untouched one is kept as it is.
    private ImmutableDictionary<TaskId, TaskState>.Builder? _tasks;
    private ImmutableSortedSet<ReadyEntry>.Builder? _ready;
    private ImmutableSortedSet<RetryEntry>.Builder? _retryQueue;
    private ImmutableSortedDictionary<TaskId, string>.Builder? _pendingSkips;
    private ImmutableHashSet<TaskId>.Builder? _inFlight;
    private ImmutableSortedSet<ReadyEntry>.Builder? _questions;
    private ImmutableHashSet<TaskId>.Builder? _awaiting;
    private ImmutableDictionary<string, DateTimeOffset>.Builder? _lastDispatchByModel;
    private ImmutableDictionary<TaskId, ImmutableList<TaskId>>.Builder? _dependents;
    private ImmutableDictionary<TaskId, TaskId>.Builder? _conflictHolds;
    public long ReadyCounter = state.ReadyCounter;
    public int Succeeded = state.Succeeded;
    public int Failed = state.Failed;
    public int Skipped = state.Skipped;
    public long TokensUsed = state.TokensUsed;
    public long IterationTokens = state.IterationTokens;
    public int IterationTasksRun = state.IterationTasksRun;
    public Orchestrator.Core.Sessions.SessionConversation Conversation = state.Conversation;
    public Orchestrator.Core.Sessions.DeliberationTranscripts Transcripts = state.Transcripts;

    public ImmutableDictionary<TaskId, TaskState>.Builder Tasks => _tasks ??= state.Tasks.ToBuilder();
    public ImmutableSortedSet<ReadyEntry>.Builder Ready => _ready ??= state.Ready.ToBuilder();
    public ImmutableSortedSet<RetryEntry>.Builder RetryQueue => _retryQueue ??= state.RetryQueue.ToBuilder();
    public ImmutableSortedDictionary<TaskId, string>.Builder PendingSkips => _pendingSkips ??= state.PendingSkips.ToBuilder();
    public ImmutableHashSet<TaskId>.Builder InFlight => _inFlight ??= state.InFlight.ToBuilder();
    public ImmutableSortedSet<ReadyEntry>.Builder Questions => _questions ??= state.Questions.ToBuilder();
    public ImmutableHashSet<TaskId>.Builder Awaiting => _awaiting ??= state.Awaiting.ToBuilder();
    public ImmutableDictionary<string, DateTimeOffset>.Builder LastDispatchByModel => _lastDispatchByModel ??= state.LastDispatchByModel.ToBuilder();

    public IReadOnlyList<TaskId> DependentsOf(TaskId id) =>
        (IReadOnlyList<TaskId>?)_dependents?.GetValueOrDefault(id) ?? state.Dependents.GetValueOrDefault(id) ?? [];

    public void AddDependent(TaskId dependency, TaskId dependent)
    {
        _dependents ??= state.Dependents.ToBuilder();
        _dependents[dependency] = (_dependents.GetValueOrDefault(dependency) ?? []).Add(dependent);
    }

    /// <summary>Puts a task whose dependencies are done into the ready set (a human node's into the questions to ask); a
    /// prototype waits for its planner instead.</summary>
    public void MakeReady(TaskState task)
    {
        if (task.Spec.IsPrototype)
        {
            Tasks[task.Spec.Id] = task with { State = TaskRunState.Pending };
            return;
        }
        var ready = task with { State = TaskRunState.Ready, ReadySequence = ++ReadyCounter };
        Tasks[task.Spec.Id] = ready;
        (task.Spec.Human is null ? Ready : Questions).Add(new ReadyEntry(task.Spec.Priority, ready.ReadySequence, task.Spec.Id));
    }

    /// <summary>Removes a task from the ready set or the retry queue, whichever holds it.</summary>
    public void Unqueue(TaskState task)
    {
        if (task.State == TaskRunState.Ready)
            (task.Spec.Human is null ? Ready : Questions).Remove(new ReadyEntry(task.Spec.Priority, task.ReadySequence, task.Spec.Id));
        if (task is { State: TaskRunState.RetryWaiting, RetryAt: { } at }) RetryQueue.Remove(new RetryEntry(at, task.Spec.Priority, task.Spec.Id));
    }

    /// <summary>A task succeeded: each dependent waits for one dependency fewer and is ready when none is left.
    /// Newly ready tasks join in plan order, whatever the order of the dependents list (a snapshot rebuilds it).</summary>
    public void Release(TaskId id)
    {
        List<TaskState>? ready = null;
        foreach (var dependentId in DependentsOf(id))
        {
            var d = Tasks[dependentId];
            d = d with { PendingDependencies = d.PendingDependencies - 1 };
            Tasks[dependentId] = d;
            if (d is { PendingDependencies: 0, State: TaskRunState.Pending } && !PendingSkips.ContainsKey(dependentId)) (ready ??= []).Add(d);
        }
        if (ready is null) return;
        if (ready.Count > 1) ready.Sort((a, b) => a.Order.CompareTo(b.Order));
        foreach (var d in ready) MakeReady(d);
    }

    /// <summary>A task failed or was skipped: each dependent still waiting is to be skipped with the reason.</summary>
    public void Poison(TaskId id, string reason)
    {
        foreach (var dependentId in DependentsOf(id))
        {
            var d = Tasks[dependentId];
            if (d.State is TaskRunState.Pending or TaskRunState.Ready) PendingSkips.TryAdd(dependentId, reason);
        }
    }

    public void Uncount(TaskRunState terminal)
    {
        if (terminal == TaskRunState.Succeeded) Succeeded--;
        else if (terminal == TaskRunState.Failed) Failed--;
        else if (terminal == TaskRunState.Skipped) Skipped--;
    }

    /// <summary>The given tasks and everything that depends on them, transitively, in plan order.</summary>
    public List<TaskId> Downstream(IEnumerable<TaskId> roots)
    {
        var seen = new HashSet<TaskId>();
        var queue = new Queue<TaskId>();
        foreach (var r in roots) if (seen.Add(r)) queue.Enqueue(r);
        while (queue.Count > 0)
            foreach (var d in DependentsOf(queue.Dequeue()))
                if (seen.Add(d)) queue.Enqueue(d);
        return seen.OrderBy(id => Tasks[id].Order).ToList();
    }

    /// <summary>An attempt was handed to a worker; false (nothing changed) for a task not waiting for one, or a stale attempt.</summary>
    public bool Dispatch(SessionEvents.TaskDispatched d)
    {
        if (!Tasks.TryGetValue(d.TaskId, out var task)
            || task.State is not (TaskRunState.Ready or TaskRunState.RetryWaiting or TaskRunState.Dispatched)
            || d.Attempt <= task.Attempt)
            return false;
        Unqueue(task);
        InFlight.Add(d.TaskId);
        Tasks[d.TaskId] = task with
        {
            State = TaskRunState.Dispatched,
            Attempt = d.Attempt,
            // Dispatched again without an outcome: the attempt before was cut short (replayed before its requeue).
            Interruptions = task.State == TaskRunState.Dispatched ? task.Interruptions + 1 : task.Interruptions,
            Model = d.Model,
            Agent = d.Agent,
            DispatchedAt = d.At,
            RetryAt = null,
        };
        LastDispatchByModel[d.Model] = d.At;
        if (state.ConflictHolds.ContainsKey(d.TaskId) || _conflictHolds is not null)
            (_conflictHolds ??= state.ConflictHolds.ToBuilder()).Remove(d.TaskId); // it runs: no longer held by a conflict
        return true;
    }

    /// <summary>The attempt in flight (or the question answered) succeeded; false (nothing changed) for any other attempt.</summary>
    public bool Succeed(SessionEvents.TaskSucceeded s)
    {
        if (!Tasks.TryGetValue(s.TaskId, out var task) || task.State is not (TaskRunState.Dispatched or TaskRunState.Waiting)
            || task.Attempt != s.Attempt)
            return false;
        Settle(task);
        Tasks[s.TaskId] = task with { State = TaskRunState.Succeeded, Output = s.Output, LastError = null, Verdict = s.Verdict, Interruptions = 0 };
        Succeeded++;
        Release(s.TaskId);
        TokensUsed += s.Tokens;
        IterationTokens += s.Tokens;
        IterationTasksRun++;
        return true;
    }

    /// <summary>An attempt in flight or a question waiting has its outcome: it leaves the index that held it.</summary>
    public void Settle(TaskState task)
    {
        if (task.State == TaskRunState.Waiting) Awaiting.Remove(task.Spec.Id);
        else InFlight.Remove(task.Spec.Id);
    }

    public SessionState Build() => state with
    {
        Tasks = _tasks?.ToImmutable() ?? state.Tasks,
        Ready = _ready?.ToImmutable() ?? state.Ready,
        RetryQueue = _retryQueue?.ToImmutable() ?? state.RetryQueue,
        PendingSkips = _pendingSkips?.ToImmutable() ?? state.PendingSkips,
        InFlight = _inFlight?.ToImmutable() ?? state.InFlight,
        Questions = _questions?.ToImmutable() ?? state.Questions,
        Awaiting = _awaiting?.ToImmutable() ?? state.Awaiting,
        LastDispatchByModel = _lastDispatchByModel?.ToImmutable() ?? state.LastDispatchByModel,
        Dependents = _dependents?.ToImmutable() ?? state.Dependents,
        ReadyCounter = ReadyCounter,
        Succeeded = Succeeded,
        Failed = Failed,
        Skipped = Skipped,
        TokensUsed = TokensUsed,
        IterationTokens = IterationTokens,
        IterationTasksRun = IterationTasksRun,
        ConflictHolds = _conflictHolds?.ToImmutable() ?? state.ConflictHolds,
        Conversation = Conversation,
        Transcripts = Transcripts,
    };
}
