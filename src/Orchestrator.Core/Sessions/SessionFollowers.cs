namespace Orchestrator.Core.Sessions;

/// <summary>How many clients of one node follow each session's live feed. A node subscribes to a session's cluster
/// topic when its first follower arrives and unsubscribes when its last one leaves: <see cref="Follow"/> and
/// <see cref="Unfollow"/> say when.</summary>
public sealed record SessionFollowers
{
    private readonly IReadOnlyDictionary<string, int> _counts;

    /// <summary>No session followed.</summary>
    public SessionFollowers() : this(new Dictionary<string, int>(StringComparer.Ordinal))
    {
    }

    private SessionFollowers(IReadOnlyDictionary<string, int> counts) => _counts = counts;

    /// <summary>The sessions followed by at least one client.</summary>
    public IReadOnlyCollection<string> Sessions => _counts.Keys.ToList();

    /// <summary>How many clients follow <paramref name="sessionId"/>.</summary>
    public int CountOf(string sessionId) => _counts.GetValueOrDefault(sessionId);

    /// <summary>One more client follows <paramref name="sessionId"/>; <c>First</c> when nobody did before.</summary>
    public (SessionFollowers Next, bool First) Follow(string sessionId)
    {
        var count = CountOf(sessionId);
        return (With(sessionId, count + 1), count == 0);
    }

    /// <summary>One client of <paramref name="sessionId"/> left; <c>Last</c> when nobody follows it any more. A session
    /// nobody follows is left as it is (a late or repeated leave).</summary>
    public (SessionFollowers Next, bool Last) Unfollow(string sessionId)
    {
        var count = CountOf(sessionId);
        return count == 0 ? (this, false) : (With(sessionId, count - 1), count == 1);
    }

    private SessionFollowers With(string sessionId, int count)
    {
        var counts = new Dictionary<string, int>(_counts, StringComparer.Ordinal);
        if (count == 0) counts.Remove(sessionId);
        else counts[sessionId] = count;
        return new SessionFollowers(counts);
    }
}
