using System.Diagnostics;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>Wall time and this process's CPU time (all threads) of one measurement, in seconds. On a machine shared with
/// other work the CPU time says what the engine itself spent, the wall time what a user waited.</summary>
internal readonly record struct Timed(double Seconds, double CpuSeconds)
{
    /// <summary>Starts a measurement.</summary>
    public static Watch Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>Microseconds of wall time per item.</summary>
    public double MicrosPer(int count) => Seconds * 1e6 / count;

    /// <summary>Microseconds of CPU time per item.</summary>
    public double CpuMicrosPer(int count) => CpuSeconds * 1e6 / count;

    /// <summary>This measurement of <paramref name="ofCount"/> items scaled to <paramref name="toCount"/> (to compare per-item
    /// figures of two sizes).</summary>
    public Timed Per(int ofCount, int toCount) => new(Seconds * toCount / ofCount, CpuSeconds * toCount / ofCount);

    /// <summary>A measurement under way.</summary>
    public readonly record struct Watch(long Started, TimeSpan CpuAtStart)
    {
        public Timed Stop() => new(Stopwatch.GetElapsedTime(Started).TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - CpuAtStart).TotalSeconds);
    }
}
