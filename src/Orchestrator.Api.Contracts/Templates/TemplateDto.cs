namespace Orchestrator.Api.Contracts.Templates;

/// <summary>A template after inheritance and defaults (<c>GET /api/templates/{name}</c>).</summary>
public sealed record TemplateDto(
    string Name,
    string? Description,
    bool Abstract,
    IReadOnlyList<string> Lineage,
    IReadOnlyList<TemplateVariableDto> Variables,
    SessionSettingsDto Settings,
    IReadOnlyList<TemplateNodeDto> Nodes);
