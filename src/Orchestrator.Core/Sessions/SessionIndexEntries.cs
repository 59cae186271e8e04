using Orchestrator.Core.Ids;
namespace Orchestrator.Core.Sessions;

/// <summary>A task in the ready set: higher priority first, then the one ready longest, then by id.</summary>
public readonly record struct ReadyEntry(int Priority, long Sequence, TaskId TaskId) : IComparable<ReadyEntry>
{
    public int CompareTo(ReadyEntry other)
    {
        var c = other.Priority.CompareTo(Priority);
        if (c != 0) return c;
        c = Sequence.CompareTo(other.Sequence);
        return c != 0 ? c : TaskId.CompareTo(other.TaskId);
    }
}

/// <summary>A task waiting out its back-off: the earliest retry first, then higher priority, then by id.</summary>
public readonly record struct RetryEntry(DateTimeOffset At, int Priority, TaskId TaskId) : IComparable<RetryEntry>
{
    public int CompareTo(RetryEntry other)
    {
        var c = At.CompareTo(other.At);
        if (c != 0) return c;
        c = other.Priority.CompareTo(Priority);
        return c != 0 ? c : TaskId.CompareTo(other.TaskId);
    }
}
