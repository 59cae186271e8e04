namespace Orchestrator.Node.Api;

/// <summary>Reads a list that a cluster singleton answers a page at a time (each page within a remoting frame, as the
/// singleton may run on another node) to its last page.</summary>
internal static class PagedReplies
{
    /// <summary>Every item of the pages <paramref name="ask"/> answers, asked from the first (after null) and then after
    /// each page's <paramref name="next"/> until it is null.</summary>
    public static async Task<List<TItem>> ReadAllAsync<TPage, TItem>(
        Func<string?, Task<TPage>> ask, Func<TPage, IEnumerable<TItem>> items, Func<TPage, string?> next)
    {
        var all = new List<TItem>();
        string? after = null;
        do
        {
            var page = await ask(after);
            all.AddRange(items(page));
            after = next(page);
        } while (after is not null);
        return all;
    }
}
