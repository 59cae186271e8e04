using Orchestrator.Core.Agents;

namespace Orchestrator.Core.Tests.Agents;

public class PerformanceStatsSpec
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_sample_sets_each_average_and_later_ones_move_it_by_alpha()
    {
        var s = PerformanceStats.Empty.Record(true, TimeSpan.FromSeconds(2), 100, 0.5, T0);
        Assert.Equal((1.0, 2000.0, 50.0), (s.SuccessRate, s.LatencyMs, s.TokensPerSecond));

        s = s.Record(false, TimeSpan.FromSeconds(4), 100, 0.5, T0);
        Assert.Equal(0.5, s.SuccessRate, 10);
        Assert.Equal(3000, s.LatencyMs, 10);
        Assert.Equal(37.5, s.TokensPerSecond, 10); // (50 + 25) / 2
        Assert.Equal((2L, 1L), (s.Samples, s.Successes));
    }

    [Fact]
    public void A_sample_without_tokens_or_time_leaves_the_throughput_alone()
    {
        var s = PerformanceStats.Empty.Record(true, TimeSpan.FromSeconds(1), 10, 0.2, T0).Record(false, TimeSpan.Zero, 0, 0.2, T0);
        Assert.Equal(10, s.TokensPerSecond, 10);
        Assert.Equal(1, s.TimedSamples);
    }

    [Fact]
    public void Quality_is_clamped_and_averaged_apart_from_outcomes()
    {
        var s = PerformanceStats.Empty.RecordQuality(1.5, 0.5, T0).RecordQuality(0.2, 0.5, T0).RecordQuality(double.NaN, 0.5, T0);
        Assert.Equal(0.3, s.Quality, 10); // 1 → 0.6 → 0.3
        Assert.Equal(3, s.QualitySamples);
        Assert.Equal(0, s.Samples);
    }

    [Fact]
    public void The_estimate_starts_at_the_prior_and_follows_the_evidence()
    {
        Assert.Equal(0.7, PerformanceStats.Empty.Estimate(0.7, 2));
        var good = Enumerable.Range(0, 30).Aggregate(PerformanceStats.Empty, (s, _) => s.Record(true, TimeSpan.FromSeconds(1), 1, 0.2, T0));
        Assert.Equal((20 * 1.0 + 2 * 0.1) / 22, good.Estimate(0.1, 2), 10);
        var scored = good.RecordQuality(0.5, 0.2, T0);
        Assert.Equal((20 * 0.5 + 2 * 0.1) / 22, scored.Estimate(0.1, 2), 10);
    }
}
