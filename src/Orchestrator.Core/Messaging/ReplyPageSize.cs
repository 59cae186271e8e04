namespace Orchestrator.Core.Messaging;

/// <summary>How much text one reply carries, so that it crosses remoting in one frame whatever the size of what it
/// answers about: a larger answer is read in pages (a session's detail, the agent registry's lists and its copy for the
/// decision engines, the council directory's and the lesson store's lists). Text is counted in characters, and JSON writes a character in at most 6 bytes (an escaped one,
/// <c>\u00e9</c>); half the frame is left for the envelope, the figures and the field names.</summary>
/// <param name="MaxChars">The characters of text a page holds at most; a page holds at least one item all the same.</param>
public readonly record struct ReplyPageSize(long MaxChars)
{
    /// <summary>No limit: everything in one reply, for a reader in the same process.</summary>
    public static ReplyPageSize Unlimited => new(long.MaxValue);

    /// <summary>The page that fits Akka's default remoting frame (128,000 bytes): for a reader whose node's frame is not
    /// given (the node gives its own, 4 MiB by default).</summary>
    public static ReplyPageSize DefaultFrame { get; } = ForFrame(128_000);

    /// <summary>The page that fits a remoting frame of <paramref name="frameBytes"/> bytes
    /// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>).</summary>
    public static ReplyPageSize ForFrame(long frameBytes) => new(Math.Max(1, frameBytes / 12));

    /// <summary>The first page of <paramref name="items"/>: as many from the start as fit beside the
    /// <paramref name="used"/> characters the page holds already, each counted by <paramref name="charsOf"/>, and at
    /// least one. <c>More</c>: items are left after it.</summary>
    public (IReadOnlyList<T> Page, bool More) Take<T>(IEnumerable<T> items, Func<T, long> charsOf, long used = 0)
    {
        var page = new List<T>();
        foreach (var item in items)
        {
            used += charsOf(item);
            if (page.Count > 0 && used > MaxChars)
                return (page, true);
            page.Add(item);
        }
        return (page, false);
    }
}
