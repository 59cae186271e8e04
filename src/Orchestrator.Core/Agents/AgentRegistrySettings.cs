namespace Orchestrator.Core.Agents;

/// <summary>What the agent registry checks and learns with, and how agents are chosen: the configured model names (an
/// agent on any other model is refused), the known roles (null: any), the moving averages' weight of a new sample, how
/// much free capacity counts beside learned quality, how many samples the declared specialization weighs, the prior of
/// a kind an agent declares nothing for, how much the exploration bonus counts (UCB1: an agent tried less than the others
/// at a kind is tried again now and then, so a new or recovered agent gets a chance), and how much speed counts (the
/// fastest candidate's learned latency over this one's), and the most agents it holds.</summary>
public sealed record AgentRegistrySettings(
    IReadOnlySet<string> Models,
    IReadOnlySet<string>? Roles = null,
    double Alpha = 0.2,
    double CapacityWeight = 0.1,
    double PriorWeight = 2,
    double DefaultPrior = 0.5,
    double ExplorationWeight = 0.3,
    double LatencyWeight = 0.2,
    int MaxAgents = 1000);
