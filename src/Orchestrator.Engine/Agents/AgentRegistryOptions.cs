using Orchestrator.Core.Messaging;

namespace Orchestrator.Engine.Agents;

/// <summary>How the agent registry runs (<c>orchestrator.agents</c>): how often it checks its agents' models, how often
/// it snapshots, its clock, and how much one reply carries (<see cref="ReplyPageSize"/>; by default what fits Akka's
/// default remoting frame of 128,000 bytes).</summary>
public sealed record AgentRegistryOptions(TimeSpan HealthInterval, int SnapshotEvery, Func<DateTimeOffset>? Clock = null, ReplyPageSize? ReplyPage = null)
{
    /// <summary>How much one reply carries: a list, analytics, a part of a subscriber's copy.</summary>
    public ReplyPageSize PageSize => ReplyPage ?? ReplyPageSize.DefaultFrame;

    /// <summary>Every 5 s, a snapshot every 200 events.</summary>
    public static AgentRegistryOptions Default { get; } = new(TimeSpan.FromSeconds(5), 200);

    /// <summary>The time now, from <see cref="Clock"/> when set.</summary>
    public DateTimeOffset Now => Clock?.Invoke() ?? DateTimeOffset.UtcNow;
}
