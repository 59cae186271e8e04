namespace Orchestrator.Api.Contracts.Templates;

/// <summary>The reply of <c>POST /api/templates/validate</c>: valid, or every problem.</summary>
public sealed record TemplateValidationDto(bool Valid, string? Template, IReadOnlyList<TemplateProblemDto> Problems);
