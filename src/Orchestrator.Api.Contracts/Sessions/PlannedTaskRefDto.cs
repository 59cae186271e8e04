namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>A task of an accepted plan as a client counts it: its id and phase (<c>per-task</c>: a prototype, not run itself).</summary>
public sealed record PlannedTaskRefDto(string Id, string? Phase);
