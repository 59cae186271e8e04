namespace Orchestrator.Core.Agents;

/// <summary>The agent a selection chose and its score (learned quality plus the weight of its free capacity).</summary>
public readonly record struct AgentChoice(AgentProfile Agent, double Score);
