using System.Text.RegularExpressions;

namespace Orchestrator.Core.Sessions;

/// <summary>Rules for session ids: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, so an
/// id is safe in a persistence id (<c>session-&lt;id&gt;</c>), a URL and a file name.</summary>
public static partial class SessionIds
{
    /// <summary>Null when <paramref name="id"/> is valid, otherwise why it is not.</summary>
    public static string? Problem(string? id) =>
        id is null || !Pattern().IsMatch(id)
            ? $"session id '{id}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
            : null;

    /// <summary>The persistence id of a session's journal.</summary>
    public static string PersistenceId(string sessionId) => "session-" + sessionId;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
