using System.Collections.Concurrent;

namespace Orchestrator.Engine.Sessions;

/// <summary>The sessions of this node whose writes the journal rejected in a row (it stored none of their events: they
/// could not be serialized, say), with the last cause. A rejection is the journal's answer to what is written, not to
/// the moment, so a session that recovers and plans the same step meets it again: after
/// <see cref="SessionRuntime.MaxRejectedWrites"/> in a row it fails with the reason instead of restarting forever.
/// A write that is stored forgets the count. Node-local and shared by the shard region's entities; thread-safe.</summary>
public sealed class SessionWriteRejections
{
    private const int MaxCauseChars = 200;
    private readonly ConcurrentDictionary<string, (int Count, string Cause)> _rejections = new(StringComparer.Ordinal);

    /// <summary>Records that the journal rejected a write of <paramref name="sessionId"/> for <paramref name="cause"/>.</summary>
    public void Record(string sessionId, Exception cause)
    {
        var text = $"{cause.GetType().Name}: {cause.Message}";
        if (text.Length > MaxCauseChars) text = text[..MaxCauseChars] + "…";
        _rejections.AddOrUpdate(sessionId, (1, text), (_, held) => (held.Count + 1, text));
    }

    /// <summary>Forgets <paramref name="sessionId"/>'s rejections: a write of it was stored.</summary>
    public void Clear(string sessionId)
    {
        if (!_rejections.IsEmpty) _rejections.TryRemove(sessionId, out _);
    }

    /// <summary>Why <paramref name="sessionId"/> must fail, when the journal rejected its last <paramref name="limit"/>
    /// writes or more; null otherwise.</summary>
    public string? Repeated(string sessionId, int limit) =>
        _rejections.TryGetValue(sessionId, out var held) && held.Count >= limit
            ? $"the journal rejected the session's writes {held.Count} times in a row (the last: {held.Cause}); it fails rather than write them again"
            : null;
}
