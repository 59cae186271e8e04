using Orchestrator.Core.Models;

namespace Orchestrator.Core.Tests.Models;

public sealed class SamplingSeedsSpec
{
    [Fact]
    public void The_same_attempt_gets_the_same_seed_every_time() =>
        Assert.Equal(SamplingSeeds.ForAttempt(42, "s1", "a", 1), SamplingSeeds.ForAttempt(42, "s1", "a", 1));

    [Fact]
    public void Attempts_tasks_sessions_and_session_seeds_each_change_the_seed()
    {
        var seeds = new[]
        {
            SamplingSeeds.ForAttempt(42, "s1", "a", 1),
            SamplingSeeds.ForAttempt(42, "s1", "a", 2),
            SamplingSeeds.ForAttempt(42, "s1", "b", 1),
            SamplingSeeds.ForAttempt(42, "s2", "a", 1),
            SamplingSeeds.ForAttempt(43, "s1", "a", 1),
            SamplingSeeds.ForAttempt(42, "s1a", "", 1), // the parts are separated, not concatenated
        };
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
    }
}
