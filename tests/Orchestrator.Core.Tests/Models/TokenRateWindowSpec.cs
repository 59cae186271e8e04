using Orchestrator.Core.Models;

namespace Orchestrator.Core.Tests.Models;

public sealed class TokenRateWindowSpec
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void A_single_sample_has_no_rate()
    {
        var rate = new TokenRateWindow(S(10));

        Assert.Equal(0, rate.PerSecond(S(5), 100));
    }

    [Fact]
    public void A_young_window_counts_from_its_first_sample()
    {
        var rate = new TokenRateWindow(S(10));
        rate.Record(S(0), 0);
        rate.Record(S(1), 40);

        Assert.Equal(40, rate.PerSecond(S(2), 80), 6);
    }

    [Fact]
    public void Only_the_last_window_counts_once_it_is_full()
    {
        var rate = new TokenRateWindow(S(10));
        // 100 tokens/s for 20 s, then nothing for 5 s.
        for (var t = 0; t <= 20; t++) rate.Record(S(t), t * 100);
        for (var t = 21; t <= 25; t++) rate.Record(S(t), 2000);

        // The window [15, 25]: 500 tokens in 10 s.
        Assert.Equal(50, rate.PerSecond(S(25), 2000), 6);
    }

    [Fact]
    public void An_idle_pool_falls_to_zero_after_a_window()
    {
        var rate = new TokenRateWindow(S(10));
        rate.Record(S(0), 0);
        rate.Record(S(1), 500);
        rate.Record(S(12), 500);

        Assert.Equal(0, rate.PerSecond(S(30), 500));
    }

    [Fact]
    public void Samples_that_go_back_in_time_are_refused()
    {
        var rate = new TokenRateWindow(S(10));
        rate.Record(S(5), 1);

        Assert.Throws<ArgumentException>(() => rate.Record(S(4), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenRateWindow(TimeSpan.Zero));
    }
}
