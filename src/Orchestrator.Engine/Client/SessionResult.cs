using Orchestrator.Core.Sessions;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Client;

/// <summary>What a call of <see cref="OrchestratorClient"/> gave: the reply asked for (<see cref="Value"/>), or why there
/// is none: no session has the id (<see cref="NotFound"/>), or the command was refused, nothing persisted, with every
/// problem (<see cref="Rejected"/>). Exactly one of the three is set.</summary>
/// <typeparam name="T">The reply the call asks for.</typeparam>
public sealed class SessionResult<T>
    where T : class, ISessionReply
{
    private SessionResult(T? value, SessionNotFound? notFound, SessionRejected? rejected)
    {
        Value = value;
        NotFound = notFound;
        Rejected = rejected;
    }

    /// <summary>The reply asked for; null when the session was not found or the command refused.</summary>
    public T? Value { get; }

    /// <summary>Set when no session has the id (none was created by asking).</summary>
    public SessionNotFound? NotFound { get; }

    /// <summary>Set when the command was refused; nothing was persisted.</summary>
    public SessionRejected? Rejected { get; }

    /// <summary>The reply asked for, or an <see cref="InvalidOperationException"/> that says why there is none.</summary>
    public T OrThrow() => Value ?? throw new InvalidOperationException(Describe());

    /// <summary>One of the three functions applied to what the call gave.</summary>
    public TOut Match<TOut>(Func<T, TOut> value, Func<SessionNotFound, TOut> notFound, Func<SessionRejected, TOut> rejected) =>
        Value is not null ? value(Value) : NotFound is not null ? notFound(NotFound) : rejected(Rejected!);

    /// <inheritdoc />
    public override string ToString() => Value?.ToString() ?? Describe();

    /// <summary>The result of a session's <paramref name="reply"/>; a reply of another kind is a protocol error.</summary>
    internal static SessionResult<T> Of(ISessionReply reply) => reply switch
    {
        T value => new(value, null, null),
        SessionNotFound missing => new(null, missing, null),
        SessionRejected refused => new(null, null, refused),
        _ => throw new InvalidOperationException(
            $"Session {reply.SessionId} answered {reply.GetType().Name} where {typeof(T).Name} was expected."),
    };

    private string Describe() => NotFound is { } missing
        ? $"No session '{missing.SessionId}'."
        : $"Session '{Rejected!.SessionId}' refused the command: {string.Join("; ", Rejected.Problems)}";
}
