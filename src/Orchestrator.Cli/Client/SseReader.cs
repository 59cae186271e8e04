using System.Runtime.CompilerServices;
using System.Text;

namespace Orchestrator.Cli.Client;

/// <summary>One Server-Sent Event: its type (<c>message</c> when the stream names none), its data (lines joined with
/// '\n') and its id, null when the event carried none.</summary>
public sealed record SseEvent(string Event, string Data, string? Id);

/// <summary>Reads a <c>text/event-stream</c> as the HTML standard describes it: <c>event:</c>, <c>data:</c> (repeatable),
/// <c>id:</c> and <c>retry:</c> fields, comments (<c>:</c>), one optional space after the colon, CR, LF or CRLF line ends,
/// and an event dispatched at each blank line (one with no data is dropped). A last event cut off by the end of the
/// stream is dropped too, as a browser does.</summary>
public static class SseReader
{
    /// <summary>The events of <paramref name="reader"/>, as they arrive.</summary>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var data = new StringBuilder();
        var hasData = false;
        string? type = null;
        string? id = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                    yield return new SseEvent(string.IsNullOrEmpty(type) ? "message" : type, data.ToString(), id);
                data.Clear();
                hasData = false;
                type = null;
                id = null;
                continue;
            }
            if (line[0] == ':')
                continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
                value = value[1..];
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData) data.Append('\n');
                    data.Append(value);
                    hasData = true;
                    break;
                case "id" when !value.Contains('\0'):
                    id = value;
                    break;
            }
        }
    }
}
