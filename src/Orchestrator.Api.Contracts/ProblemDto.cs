namespace Orchestrator.Api.Contracts;

/// <summary>An error reply (<c>application/problem+json</c>, RFC 9457) as clients read it: the status, a title and what was wrong.</summary>
public sealed record ProblemDto(string? Type, string? Title, int? Status, string? Detail, string? Instance);
