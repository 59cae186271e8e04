namespace Orchestrator.Api.Contracts.Agents;

/// <summary>The reply of <c>GET /api/agents/analytics</c>: learned performance per agent and kind of task.</summary>
public sealed record AgentAnalyticsDto(IReadOnlyList<KindPerformanceDto> Entries);
