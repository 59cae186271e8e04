using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Sessions;

/// <summary>When a failed task is tried again: only a retryable failure, within the task's retry limit and the
/// session's, after an exponential back-off (<c>base × 2^(failures-1)</c>, at most <c>max</c>). Deterministic, so
/// replaying the same failure gives the same retry time.</summary>
internal static class RetryPolicy
{
    /// <summary>The time a retry may start, or null when the failure is final. <paramref name="failures"/> counts
    /// this failure; <paramref name="sessionRetriesUsed"/> is the session's count before it.</summary>
    internal static DateTimeOffset? RetryAt(
        bool retryable, int failures, int taskRetries, int sessionRetriesUsed, SessionSettings settings, DateTimeOffset failedAt)
    {
        if (!retryable || failures > taskRetries || sessionRetriesUsed >= settings.MaxSessionRetries) return null;
        return failedAt + Backoff(failures, settings);
    }

    /// <summary>The wait before retry number <paramref name="failures"/>.</summary>
    internal static TimeSpan Backoff(int failures, SessionSettings settings)
    {
        if (failures <= 0) return TimeSpan.Zero;
        var max = settings.RetryMaxDelay;
        if (failures > 40) return max;
        var ticks = settings.RetryBaseDelay.Ticks * Math.Pow(2, failures - 1);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
