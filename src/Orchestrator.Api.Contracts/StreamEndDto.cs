namespace Orchestrator.Api.Contracts;

/// <summary>The last event of a Server-Sent Event stream the node ended before its natural end (SSE event <c>end</c>, no
/// id): <see cref="Reason"/> is <c>shutdown</c> (the node is stopping) or <c>outage</c> (the journal's database failed),
/// <see cref="Message"/> says what to do. A client resumes with <c>Last-Event-ID</c> once the node is ready again.</summary>
public sealed record StreamEndDto(string Reason, string Message)
{
    /// <summary>The SSE event type.</summary>
    public const string EventType = "end";

    /// <summary>The node is shutting down.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>The journal's database failed while the stream read it.</summary>
    public const string Outage = "outage";
}
