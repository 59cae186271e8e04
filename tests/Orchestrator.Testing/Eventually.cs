namespace Orchestrator.Testing;

/// <summary>Deadline-based waits for what a test can only poll (an HTTP answer, a process, a pool's status): the
/// condition is asked again every <see cref="PollInterval"/> until it holds, and a wait that outlives its deadline fails
/// the test with what it waited for.</summary>
public static class Eventually
{
    /// <summary>How often the condition is asked again.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> with
    /// <paramref name="waitingFor"/> (asked at the deadline) when it has not within <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? waitingFor = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Not within {timeout}: {waitingFor?.Invoke() ?? "the condition never held"}.");
            await Task.Delay(PollInterval);
        }
    }
}
