using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Cli.Client;

namespace Orchestrator.Cli.Shell;

/// <summary>The session ids tab offers: the node's latest sessions (<c>GET /api/sessions</c>), fetched at most once per
/// <paramref name="lifetime"/> and within <paramref name="timeout"/>. A node that does not answer (down, slow, refusing)
/// gives none, quietly: completion never prints an error.</summary>
public sealed class SessionIdCache(NodeClient client, TimeSpan lifetime, TimeSpan timeout, Func<DateTimeOffset>? clock = null)
{
    private IReadOnlyList<string> _ids = [];
    private DateTimeOffset _fetched = DateTimeOffset.MinValue;

    /// <summary>A cache kept 5 s, asking for at most 1 s.</summary>
    public SessionIdCache(NodeClient client) : this(client, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>The ids now: cached, or fetched again once the cache is older than its lifetime.</summary>
    public IReadOnlyList<string> Current()
    {
        var now = clock?.Invoke() ?? DateTimeOffset.UtcNow;
        if (now - _fetched < lifetime) return _ids;
        _fetched = now;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var page = client.GetAsync<SessionPageDto>("/api/sessions?limit=100", cancel.Token).GetAwaiter().GetResult();
            _ids = page.Value.Sessions.Select(s => s.SessionId).OfType<string>().ToList();
        }
        catch (Exception)
        {
            // Completion is a convenience: a node that cannot answer just offers nothing.
            _ids = [];
        }
        return _ids;
    }
}
