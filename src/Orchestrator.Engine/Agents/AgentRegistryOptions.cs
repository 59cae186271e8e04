namespace Orchestrator.Engine.Agents;

/// <summary>How the agent registry runs (<c>orchestrator.agents</c>): how often it checks its agents' models, how often
/// it snapshots, and its clock.</summary>
public sealed record AgentRegistryOptions(TimeSpan HealthInterval, int SnapshotEvery, Func<DateTimeOffset>? Clock = null)
{
    /// <summary>Every 5 s, a snapshot every 200 events.</summary>
    public static AgentRegistryOptions Default { get; } = new(TimeSpan.FromSeconds(5), 200);

    /// <summary>The time now, from <see cref="Clock"/> when set.</summary>
    public DateTimeOffset Now => Clock?.Invoke() ?? DateTimeOffset.UtcNow;
}
