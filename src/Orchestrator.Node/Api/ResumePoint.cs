using System.Globalization;

namespace Orchestrator.Node.Api;

/// <summary>Where a client of a feed resumes: after the event whose id it gives as <c>?after=N</c> or in the
/// <c>Last-Event-ID</c> header (the query wins), or from the start when it gives neither. An id is a whole number from 0
/// to <see cref="MaxId"/> (the feeds never send <c>long.MaxValue</c>, and resuming after it would wrap to the first
/// event). Anything else (that, a negative number, a sign, a letter) is refused, naming where it came from.</summary>
internal static class ResumePoint
{
    /// <summary>The largest id a client may resume after.</summary>
    public const long MaxId = long.MaxValue - 1;

    /// <summary>Reads the resume point; false with a problem naming the header or the query parameter when it is not
    /// an id. <paramref name="idKind"/> says what the feed's ids are ("a journal ordering").</summary>
    public static bool TryRead(HttpRequest request, long? after, string idKind, out long? resumeAfter, out string? problem)
    {
        resumeAfter = null;
        problem = null;
        if (after is { } query)
        {
            if (query is >= 0 and <= MaxId)
            {
                resumeAfter = query;
                return true;
            }
            problem = Refusal("The query parameter after", idKind);
            return false;
        }
        if (!request.Headers.TryGetValue("Last-Event-ID", out var header))
            return true;
        if (long.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= MaxId)
        {
            resumeAfter = id;
            return true;
        }
        problem = Refusal("The Last-Event-ID header", idKind);
        return false;
    }

    private static string Refusal(string where, string idKind) =>
        $"{where} must be the id of an event this feed sent, {idKind}: a whole number from 0 to {MaxId}. " +
        "Leave it out to read from the first event.";
}
