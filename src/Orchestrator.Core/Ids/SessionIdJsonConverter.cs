namespace Orchestrator.Core.Ids;

/// <summary>A <see cref="SessionId"/> in JSON: its text as a plain string, read back by <see cref="SessionId.TryParse"/>.</summary>
internal sealed class SessionIdJsonConverter : IdJsonConverter<SessionId>
{
    /// <inheritdoc />
    protected override string What => "session id";

    /// <inheritdoc />
    protected override SessionId? Parse(string? text, out string? problem)
    {
        problem = SessionId.Problem(text);
        return SessionId.TryParse(text, out var id) ? id : null;
    }

    /// <inheritdoc />
    protected override string? TextOf(SessionId id) => id.Value;
}
