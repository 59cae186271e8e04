using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Ids;

/// <summary>A session's id: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, so that it is
/// safe in a persistence id (<see cref="PersistenceId"/>), a URL, a request id and a file name. Every rule about it
/// is here: made only by <see cref="Parse"/> or <see cref="TryParse"/>, it is valid by construction; in JSON it is its
/// text (<see cref="TextIdJsonConverter{TId}"/>).</summary>
[JsonConverter(typeof(TextIdJsonConverter<SessionId>))]
public readonly partial record struct SessionId : ITextId<SessionId>
{
    /// <inheritdoc />
    static string ITextId<SessionId>.Kind => "session id";

    private const string PersistencePrefix = "session-";

    private SessionId(string value) => Value = value;

    /// <summary>The id as text.</summary>
    public string Value { get; }

    /// <summary>The persistence id of the session's journal: <c>session-&lt;id&gt;</c>.</summary>
    public string PersistenceId => PersistenceIdOf(Value);

    /// <summary>The persistence id of the session named <paramref name="text"/>, valid or not: an entity started for an
    /// invalid id (a message from a user's own actor, say) refuses every command, so its journal stays empty.</summary>
    public static string PersistenceIdOf(string text) => PersistencePrefix + text;

    /// <summary>Null when <paramref name="text"/> is a valid session id, otherwise why it is not.</summary>
    public static string? Problem(string? text) =>
        text is null || !Pattern().IsMatch(text)
            ? $"session id '{InputEcho.Of(text)}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
            : null;

    /// <summary>The id <paramref name="text"/> is, when it is valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SessionId id)
    {
        id = Problem(text) is null ? new SessionId(text!) : default;
        return id.Value is not null;
    }

    /// <summary>The id <paramref name="text"/> is; an <see cref="ArgumentException"/> saying why when it is not valid.</summary>
    public static SessionId Parse(string? text) =>
        TryParse(text, out var id) ? id : throw new ArgumentException(Problem(text), nameof(text));

    /// <summary>The session whose journal <paramref name="persistenceId"/> is, when it is one.</summary>
    public static bool TryFromPersistenceId(string persistenceId, out SessionId id)
    {
        id = default;
        return persistenceId.StartsWith(PersistencePrefix, StringComparison.Ordinal)
               && TryParse(persistenceId[PersistencePrefix.Length..], out id);
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
