using Orchestrator.Node.Health;

namespace Orchestrator.Node.Tests.Health;

/// <summary>The journal's health folds probe outcomes: the first failure turns it off, a changed problem is news, the
/// first success turns it on again, and the reason says since when and how many probes failed.</summary>
public sealed class JournalHealthSpec
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Successful_probes_change_nothing()
    {
        var (next, change) = JournalHealth.Healthy.After(null, T0);

        Assert.Same(JournalHealth.Healthy, next);
        Assert.Equal(JournalHealthChange.None, change);
        Assert.False(next.IsFailing);
    }

    [Fact]
    public void First_failure_fails_and_repeats_count_without_news()
    {
        var (failed, first) = JournalHealth.Healthy.After("disk full", T0);
        var (again, second) = failed.After("disk full", T0.AddSeconds(2));

        Assert.Equal(JournalHealthChange.Failed, first);
        Assert.Equal(JournalHealthChange.None, second);
        Assert.Equal("not ready: disk full (failing since 03:04:05 UTC, 1 probe in a row)", failed.Reason);
        Assert.Equal("not ready: disk full (failing since 03:04:05 UTC, 2 probes in a row)", again.Reason);
    }

    [Fact]
    public void Another_problem_is_news_and_keeps_the_start_of_the_failure()
    {
        var (failed, _) = JournalHealth.Healthy.After("read-only", T0);

        var (next, change) = failed.After("unreachable", T0.AddSeconds(2));

        Assert.Equal(JournalHealthChange.ProblemChanged, change);
        Assert.Equal(new JournalHealth("unreachable", T0, 2), next);
    }

    [Fact]
    public void First_success_after_failures_recovers()
    {
        var (failed, _) = JournalHealth.Healthy.After("read-only", T0);

        var (next, change) = failed.After(null, T0.AddSeconds(2));

        Assert.Equal(JournalHealthChange.Recovered, change);
        Assert.False(next.IsFailing);
    }

    [Fact]
    public void Damage_fails_for_good_whatever_the_probes_say()
    {
        var (damaged, first) = JournalHealth.Healthy.AfterDamage("file is damaged");
        var (probed, afterProbe) = damaged.After(null, T0);
        var (again, second) = probed.AfterDamage("another page is damaged");

        Assert.Equal(JournalHealthChange.Failed, first);
        Assert.Equal(JournalHealthChange.None, afterProbe);
        Assert.Equal(JournalHealthChange.None, second);
        Assert.True(again.IsFailing);
        Assert.Equal("not ready: file is damaged", again.Reason);
    }
}
