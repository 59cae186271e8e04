using Akka.Actor;
using Akka.Pattern;

namespace Orchestrator.Engine.Persistence;

/// <summary>Supervision for persistent actors: Akka stops a persistent actor whose write or recovery fails (it cannot
/// know what was stored), so a parent restarts it after an exponential back-off, when it recovers what is durable.</summary>
public static class PersistentBackoff
{
    /// <summary>Props of a supervisor that starts <paramref name="child"/> as <paramref name="childName"/> and restarts it
    /// after it stops, waiting <paramref name="minBackoff"/> doubling up to <paramref name="maxBackoff"/> (with jitter).
    /// Messages to the supervisor are forwarded to the current child.</summary>
    public static Props Props(Props child, string childName, TimeSpan minBackoff, TimeSpan maxBackoff) =>
        BackoffSupervisor.Props(BackoffOptionsFor(child, childName, minBackoff, maxBackoff));

    /// <summary>As <see cref="Props(Akka.Actor.Props, string, TimeSpan, TimeSpan)"/> with 200 ms to 10 s.</summary>
    public static Props Props(Props child, string childName) =>
        Props(child, childName, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    private static BackoffOptions BackoffOptionsFor(Props child, string childName, TimeSpan minBackoff, TimeSpan maxBackoff) =>
        Backoff.OnStop(child, childName, minBackoff, maxBackoff, randomFactor: 0.2, maxNrOfRetries: -1);
}
