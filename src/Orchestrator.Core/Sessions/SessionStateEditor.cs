using System.Collections.Immutable;

namespace Orchestrator.Core.Sessions;

/// <summary>Builders over one <see cref="SessionState"/> while an event is applied, so that a step touching many tasks
/// costs O(k log n), and the index rules (ready, skip, release) live in one place.</summary>
internal sealed class SessionStateEditor(SessionState state)
{
    public readonly ImmutableDictionary<string, TaskState>.Builder Tasks = state.Tasks.ToBuilder();
    public readonly ImmutableSortedSet<ReadyEntry>.Builder Ready = state.Ready.ToBuilder();
    public readonly ImmutableSortedSet<RetryEntry>.Builder RetryQueue = state.RetryQueue.ToBuilder();
    public readonly ImmutableSortedDictionary<string, string>.Builder PendingSkips = state.PendingSkips.ToBuilder();
    public readonly ImmutableHashSet<string>.Builder InFlight = state.InFlight.ToBuilder();
    public readonly ImmutableDictionary<string, DateTimeOffset>.Builder LastDispatchByModel = state.LastDispatchByModel.ToBuilder();
    private ImmutableDictionary<string, ImmutableList<string>>.Builder? _dependents;
    public long ReadyCounter = state.ReadyCounter;
    public int Succeeded = state.Succeeded;
    public int Failed = state.Failed;
    public int Skipped = state.Skipped;

    public IReadOnlyList<string> DependentsOf(string id) =>
        (IReadOnlyList<string>?)_dependents?.GetValueOrDefault(id) ?? state.Dependents.GetValueOrDefault(id) ?? [];

    public void AddDependent(string dependency, string dependent)
    {
        _dependents ??= state.Dependents.ToBuilder();
        _dependents[dependency] = (_dependents.GetValueOrDefault(dependency) ?? []).Add(dependent);
    }

    /// <summary>Puts a task whose dependencies are done into the ready set; a prototype waits for its planner instead.</summary>
    public void MakeReady(TaskState task)
    {
        if (task.Spec.IsPrototype)
        {
            Tasks[task.Spec.Id] = task with { State = TaskRunState.Pending };
            return;
        }
        var ready = task with { State = TaskRunState.Ready, ReadySequence = ++ReadyCounter };
        Tasks[task.Spec.Id] = ready;
        Ready.Add(new ReadyEntry(task.Spec.Priority, ready.ReadySequence, task.Spec.Id));
    }

    /// <summary>Removes a task from the ready set or the retry queue, whichever holds it.</summary>
    public void Unqueue(TaskState task)
    {
        if (task.State == TaskRunState.Ready) Ready.Remove(new ReadyEntry(task.Spec.Priority, task.ReadySequence, task.Spec.Id));
        if (task is { State: TaskRunState.RetryWaiting, RetryAt: { } at }) RetryQueue.Remove(new RetryEntry(at, task.Spec.Priority, task.Spec.Id));
    }

    /// <summary>A task succeeded: each dependent waits for one dependency fewer and is ready when none is left.
    /// Newly ready tasks join in plan order, whatever the order of the dependents list (a snapshot rebuilds it).</summary>
    public void Release(string id)
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
    public void Poison(string id, string reason)
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
    public List<string> Downstream(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var r in roots) if (seen.Add(r)) queue.Enqueue(r);
        while (queue.Count > 0)
            foreach (var d in DependentsOf(queue.Dequeue()))
                if (seen.Add(d)) queue.Enqueue(d);
        return seen.OrderBy(id => Tasks[id].Order).ToList();
    }

    public SessionState Build() => state with
    {
        Tasks = Tasks.ToImmutable(),
        Ready = Ready.ToImmutable(),
        RetryQueue = RetryQueue.ToImmutable(),
        PendingSkips = PendingSkips.ToImmutable(),
        InFlight = InFlight.ToImmutable(),
        LastDispatchByModel = LastDispatchByModel.ToImmutable(),
        Dependents = _dependents?.ToImmutable() ?? state.Dependents,
        ReadyCounter = ReadyCounter,
        Succeeded = Succeeded,
        Failed = Failed,
        Skipped = Skipped,
    };
}
