namespace Orchestrator.Api.Contracts.Templates;

/// <summary>A variable of a template's chain: its default, whether a session must give it, what it is for.</summary>
public sealed record TemplateVariableDto(string Name, string? Default, bool Required, string? Description);
