namespace Orchestrator.Core.Decisions;

/// <summary>A node slot granted to one attempt of a session's task: it runs as <see cref="Agent"/> (null: no registered
/// agent has the role, and the role's default model serves it) on <see cref="Model"/>. Held until the session gives it
/// back (the attempt's outcome, or it was not used) or the session stops.</summary>
public sealed record DispatchGrant(string SessionId, string TaskId, int Attempt, string? Agent, string Model);
