namespace Orchestrator.Engine.Sessions;

/// <summary>The node-wide limit on tasks in flight, shared by the sessions of one node: a session takes slots for the
/// tasks it dispatches and gives each back when its outcome arrives. Lock-free; one instance per node.</summary>
public sealed class NodeDispatchSlots(int capacity)
{
    private int _free = capacity;

    /// <summary>The limit.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Slots free now.</summary>
    public int Free => Volatile.Read(ref _free);

    /// <summary>Takes up to <paramref name="wanted"/> slots and returns how many it got.</summary>
    public int Acquire(int wanted)
    {
        if (wanted <= 0) return 0;
        while (true)
        {
            var free = Volatile.Read(ref _free);
            var granted = Math.Min(free, wanted);
            if (granted <= 0) return 0;
            if (Interlocked.CompareExchange(ref _free, free - granted, free) == free)
                return granted;
        }
    }

    /// <summary>Gives back <paramref name="count"/> slots.</summary>
    public void Release(int count)
    {
        if (count > 0)
            Interlocked.Add(ref _free, count);
    }
}
