namespace Orchestrator.Api.Contracts.Agents;

/// <summary>A registered agent's profile: the reply of register and update.</summary>
public sealed record AgentProfileDto(
    string Name,
    string Role,
    IReadOnlyList<string> Capabilities,
    string Model,
    int MaxConcurrentTasks,
    IReadOnlyDictionary<string, double> Specialization);
