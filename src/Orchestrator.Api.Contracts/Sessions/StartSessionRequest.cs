namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>: a template, its inputs, and an optional id (one is made up when absent).</summary>
public sealed record StartSessionRequest(string? Template, IReadOnlyDictionary<string, string>? Inputs, string? Id);
