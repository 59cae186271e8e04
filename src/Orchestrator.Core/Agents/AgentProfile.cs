namespace Orchestrator.Core.Agents;

/// <summary>A registered agent: its unique name, the role it plays in workflows, what it can do, the model that serves
/// it, how many tasks it takes at once, and its declared specialization per task kind (0 to 1, a prior that learned
/// performance overrides as outcomes arrive).</summary>
public sealed record AgentProfile(
    string Name,
    string Role,
    IReadOnlyList<string> Capabilities,
    string Model,
    int MaxConcurrentTasks,
    IReadOnlyDictionary<string, double> Specialization)
{
    /// <summary>The declared specialization for <paramref name="kind"/>, or <paramref name="otherwise"/>.</summary>
    public double SpecializationFor(string kind, double otherwise) =>
        Specialization.TryGetValue(kind, out var s) ? s : otherwise;
}
