namespace Orchestrator.Api.Contracts.Agents;

/// <summary>An agent as the API shows it: its profile, whether its model is alive, its tasks in flight and free slots,
/// its overall learned performance, and (for one agent, else null) its performance per task kind.</summary>
public sealed record AgentDto(
    string Name,
    string Role,
    IReadOnlyList<string> Capabilities,
    string Model,
    int MaxConcurrentTasks,
    IReadOnlyDictionary<string, double> Specialization,
    bool Healthy,
    int InFlight,
    int FreeSlots,
    PerformanceDto Performance,
    IReadOnlyList<KindPerformanceDto>? Kinds = null);
