namespace Orchestrator.Api.Contracts.Agents;

/// <summary>The body of <c>PUT /api/agents/{name}</c>: the fields to change (absent or null: unchanged).</summary>
public sealed record UpdateAgentRequest(
    string? Role,
    IReadOnlyList<string>? Capabilities,
    string? Model,
    int? MaxConcurrentTasks,
    IReadOnlyDictionary<string, double>? Specialization);
