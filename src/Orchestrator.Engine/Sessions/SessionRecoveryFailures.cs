using System.Collections.Concurrent;

namespace Orchestrator.Engine.Sessions;

/// <summary>The sessions of this node whose events could not be read back (a corrupt or unknown event, a database that
/// does not answer), with why and since when. While one is recorded, its entity is an <see cref="UnrecoverableSession"/>
/// that answers every command at once with the reason; once <see cref="RetryAfter"/> has passed, recovery is tried again
/// (and recorded again if it fails). Node-local and shared by the shard region's entities; thread-safe.</summary>
public sealed class SessionRecoveryFailures(TimeSpan? retryAfter = null)
{
    private readonly ConcurrentDictionary<string, SessionRecoveryFailure> _failures = new(StringComparer.Ordinal);

    /// <summary>How long a failed recovery is answered for before it is tried again (1 minute by default).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter ?? TimeSpan.FromMinutes(1);

    /// <summary>Records that <paramref name="sessionId"/> could not be recovered at <paramref name="at"/>.</summary>
    public void Record(string sessionId, string reason, DateTimeOffset at) =>
        _failures[sessionId] = new SessionRecoveryFailure(reason, at, at + RetryAfter);

    /// <summary>Forgets <paramref name="sessionId"/>'s failure: it recovered.</summary>
    public void Clear(string sessionId) => _failures.TryRemove(sessionId, out _);

    /// <summary>The failure of <paramref name="sessionId"/> while it is not yet time to try again; null otherwise.</summary>
    public SessionRecoveryFailure? Current(string sessionId, DateTimeOffset now) =>
        _failures.TryGetValue(sessionId, out var failure) && now < failure.RetryAt ? failure : null;
}

/// <summary>Why a session could not be recovered, since when, and when it is tried again.</summary>
public sealed record SessionRecoveryFailure(string Reason, DateTimeOffset Since, DateTimeOffset RetryAt);
