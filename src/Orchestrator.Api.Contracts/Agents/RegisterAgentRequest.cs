namespace Orchestrator.Api.Contracts.Agents;

/// <summary>The body of <c>POST /api/agents</c>: name, role and model are required; one task at a time when the limit is absent.</summary>
public sealed record RegisterAgentRequest(
    string? Name,
    string? Role,
    IReadOnlyList<string>? Capabilities,
    string? Model,
    int? MaxConcurrentTasks,
    IReadOnlyDictionary<string, double>? Specialization);
