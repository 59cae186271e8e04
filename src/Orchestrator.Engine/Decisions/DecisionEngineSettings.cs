using Orchestrator.Core.Agents;

namespace Orchestrator.Engine.Decisions;

/// <summary>What a node's <see cref="DecisionEngine"/> decides with: the node's dispatch slots (tasks in flight across
/// all its sessions), how agents are scored (<see cref="AgentRegistrySettings"/>), which model serves a role that no
/// agent has (<c>models-by-role</c>; the role's own name when absent), the models this node serves (null: every model
/// named is taken to be served, as on a node whose models are given by code) with each one's sequences, and how often it
/// checks that the models are alive and asks the registry again for its copy while it has none.</summary>
public sealed record DecisionEngineSettings(
    int Capacity,
    AgentRegistrySettings Agents,
    IReadOnlyDictionary<string, string>? ModelByRole = null,
    IReadOnlySet<string>? ServedModels = null,
    IReadOnlyDictionary<string, int>? ModelSequences = null,
    TimeSpan? HealthInterval = null,
    TimeSpan? SubscribeRetry = null)
{
    /// <summary>A node of <paramref name="capacity"/> slots with default scoring and no model check.</summary>
    public static DecisionEngineSettings Of(int capacity, IReadOnlyDictionary<string, string>? modelByRole = null) =>
        new(capacity, new AgentRegistrySettings(new HashSet<string>()), modelByRole);
}
