namespace Orchestrator.Benchmarks.Engine;

/// <summary>What the process did during one measurement besides taking time: bytes allocated (all threads) and methods
/// JIT-compiled. Both count work per step that the wall clock on a noisy machine hides: code generated per write (a
/// compiled expression, a new mapping) shows as methods compiled that do not fall to zero once the code is warm.</summary>
internal readonly record struct Work(long Allocated, long JitCompiled)
{
    /// <summary>Starts counting.</summary>
    public static Watch Start() => new(GC.GetTotalAllocatedBytes(precise: true), System.Runtime.JitInfo.GetCompiledMethodCount());

    /// <summary>Bytes allocated per item.</summary>
    public double AllocatedPer(int count) => Allocated / (double)count;

    /// <summary>Methods compiled per item.</summary>
    public double JitCompiledPer(int count) => JitCompiled / (double)count;

    /// <summary>A count under way.</summary>
    public readonly record struct Watch(long AllocatedAtStart, long JitCompiledAtStart)
    {
        public Work Stop() => new(GC.GetTotalAllocatedBytes(precise: true) - AllocatedAtStart,
            System.Runtime.JitInfo.GetCompiledMethodCount() - JitCompiledAtStart);
    }
}
