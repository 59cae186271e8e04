namespace Orchestrator.Core.Models;

/// <summary>A moving rate over a running total (tokens generated so far): samples of the total at monotonic times,
/// and the rate since the oldest sample kept, which is the last one at or before the window's start. Sampled often
/// (every second and at each query), it is the rate over the last <see cref="Window"/>; younger than that, the rate
/// since the first sample.</summary>
public sealed class TokenRateWindow(TimeSpan window)
{
    private readonly Queue<(TimeSpan At, long Total)> _samples = new();
    private TimeSpan _lastAt = TimeSpan.MinValue;

    /// <summary>How far back the rate looks.</summary>
    public TimeSpan Window { get; } = window > TimeSpan.Zero
        ? window
        : throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");

    /// <summary>Records that the total was <paramref name="total"/> at <paramref name="at"/> (times must not go back).</summary>
    public void Record(TimeSpan at, long total)
    {
        if (at < _lastAt)
            throw new ArgumentException($"Samples must come in time order: {at} is before {_lastAt}.", nameof(at));
        _lastAt = at;
        _samples.Enqueue((at, total));
        // Keep exactly one sample at or before the window's start: the baseline of the rate.
        while (_samples.Count > 1 && SecondAt() <= at - Window)
            _samples.Dequeue();
    }

    /// <summary>Records the total now and returns the units per second over the window (0 with a single sample).</summary>
    public double PerSecond(TimeSpan now, long total)
    {
        Record(now, total);
        var (at, baseline) = _samples.Peek();
        var elapsed = now - at;
        return elapsed <= TimeSpan.Zero ? 0 : (total - baseline) / elapsed.TotalSeconds;
    }

    private TimeSpan SecondAt()
    {
        using var e = _samples.GetEnumerator();
        e.MoveNext();
        e.MoveNext();
        return e.Current.At;
    }
}
