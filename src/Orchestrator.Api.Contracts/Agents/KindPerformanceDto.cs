namespace Orchestrator.Api.Contracts.Agents;

/// <summary>Learned performance of an agent at one kind of task (<c>*</c>: overall).</summary>
public sealed record KindPerformanceDto(string Agent, string Kind, PerformanceDto Performance);
