namespace Orchestrator.Api.Contracts.Templates;

/// <summary>One template of <c>GET /api/templates</c> (a JSON array of them): its name, what it extends, how many nodes it has.</summary>
public sealed record TemplateSummaryDto(string Name, string? Description, string? Extends, int Nodes);
