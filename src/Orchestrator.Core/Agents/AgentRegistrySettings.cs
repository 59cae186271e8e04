namespace Orchestrator.Core.Agents;

/// <summary>What the agent registry checks and learns with: the configured model names (an agent on any other model is
/// refused), the known roles (null: any), the moving averages' weight of a new sample, how much free capacity counts
/// beside learned quality when choosing, how many samples the declared specialization weighs, and the prior of a kind
/// an agent declares nothing for.</summary>
public sealed record AgentRegistrySettings(
    IReadOnlySet<string> Models,
    IReadOnlySet<string>? Roles = null,
    double Alpha = 0.2,
    double CapacityWeight = 0.1,
    double PriorWeight = 2,
    double DefaultPrior = 0.5);
