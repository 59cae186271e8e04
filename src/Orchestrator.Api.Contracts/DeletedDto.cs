namespace Orchestrator.Api.Contracts;

/// <summary>The reply of a delete: the name, role or id of what is gone.</summary>
public sealed record DeletedDto(string Deleted);
