namespace Orchestrator.Core.Models;

/// <summary>Seeds for reproducible sessions: with a session seed configured, every attempt of every task samples with
/// its own seed derived from it, so a rerun of the same session asks the same questions with the same dice, while two
/// attempts of one task still differ.</summary>
public static class SamplingSeeds
{
    /// <summary><paramref name="sampling"/> with its session seed replaced by the seed of this attempt (of
    /// <paramref name="taskId"/>, or of one request within it such as <c>task/critique-2</c>); unchanged without a seed.</summary>
    public static ModelMessages.SamplingOptions? ForAttempt(ModelMessages.SamplingOptions? sampling, string sessionId, string taskId, int attempt) =>
        sampling is { Seed: { } seed } ? sampling with { Seed = ForAttempt(seed, sessionId, taskId, attempt) } : sampling;

    /// <summary>A stable seed for one attempt of one task (FNV-1a over the parts; the same on every node and run).</summary>
    public static uint ForAttempt(uint sessionSeed, string sessionId, string taskId, int attempt)
    {
        var hash = 2166136261u ^ sessionSeed;
        foreach (var part in new[] { sessionId, taskId, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            foreach (var ch in part)
            {
                hash ^= ch;
                hash *= 16777619u;
            }
            hash ^= 0xFF; // separates the parts, so ("ab", "c") and ("a", "bc") differ
            hash *= 16777619u;
        }
        return hash;
    }
}
