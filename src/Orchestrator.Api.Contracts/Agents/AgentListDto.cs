namespace Orchestrator.Api.Contracts.Agents;

/// <summary>The reply of <c>GET /api/agents</c>.</summary>
public sealed record AgentListDto(IReadOnlyList<AgentDto> Agents);
