namespace Orchestrator.Core.Tests;

/// <summary>Specs that measure time run alone, not beside the other specs, and take the best of a few runs, so that a
/// busy machine slows them less than an O(n²) algorithm would.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class TimingCollection
{
    public const string Name = "timing";

    /// <summary>The shortest of <paramref name="runs"/> runs of <paramref name="action"/>.</summary>
    public static TimeSpan Best(int runs, Func<TimeSpan> action) => Enumerable.Range(0, runs).Select(_ => action()).Min();
}
