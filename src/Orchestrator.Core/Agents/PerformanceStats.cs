namespace Orchestrator.Core.Agents;

/// <summary>Learned performance of an agent at a kind of task, as exponential moving averages over its outcomes:
/// success rate (0 to 1), latency in milliseconds, tokens per second, and quality (0 to 1, from scorers). The first
/// sample sets an average; each later one moves it by <c>alpha × (sample − average)</c>. Plain data for snapshots.</summary>
public sealed record PerformanceStats(
    long Samples,
    long Successes,
    double SuccessRate,
    double LatencyMs,
    long TimedSamples,
    double TokensPerSecond,
    long QualitySamples,
    double Quality,
    DateTimeOffset? LastAt)
{
    /// <summary>No sample yet.</summary>
    public static PerformanceStats Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, null);

    /// <summary>After one outcome: success or failure, how long it took, how many tokens it used.</summary>
    public PerformanceStats Record(bool success, TimeSpan duration, long tokens, double alpha, DateTimeOffset at)
    {
        var ms = Math.Max(0, duration.TotalMilliseconds);
        var timed = ms > 0 && tokens > 0;
        return this with
        {
            Samples = Samples + 1,
            Successes = Successes + (success ? 1 : 0),
            SuccessRate = Ema(SuccessRate, success ? 1 : 0, alpha, Samples),
            LatencyMs = Ema(LatencyMs, ms, alpha, Samples),
            TimedSamples = TimedSamples + (timed ? 1 : 0),
            TokensPerSecond = timed ? Ema(TokensPerSecond, tokens / (ms / 1000.0), alpha, TimedSamples) : TokensPerSecond,
            LastAt = at,
        };
    }

    /// <summary>After a scorer's verdict on one output (clamped to 0..1).</summary>
    public PerformanceStats RecordQuality(double quality, double alpha, DateTimeOffset at) => this with
    {
        QualitySamples = QualitySamples + 1,
        Quality = Ema(Quality, Math.Clamp(double.IsFinite(quality) ? quality : 0, 0, 1), alpha, QualitySamples),
        LastAt = at,
    };

    /// <summary>The expected quality of the next outcome: success rate, times quality where scorers gave one; blended
    /// with <paramref name="prior"/> (the declared specialization) weighing <paramref name="priorWeight"/> samples, so a
    /// few outcomes do not swing it and many outweigh the prior (at most 20 samples count, the averages move on).</summary>
    public double Estimate(double prior, double priorWeight)
    {
        var n = Math.Min(Samples, 20);
        if (n == 0) return prior;
        var observed = QualitySamples > 0 ? SuccessRate * Quality : SuccessRate;
        return (observed * n + prior * priorWeight) / (n + priorWeight);
    }

    private static double Ema(double average, double sample, double alpha, long samplesBefore) =>
        samplesBefore == 0 ? sample : average + alpha * (sample - average);
}
