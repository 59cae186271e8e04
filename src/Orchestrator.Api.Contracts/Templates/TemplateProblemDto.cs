namespace Orchestrator.Api.Contracts.Templates;

/// <summary>One problem of a checked template; <see cref="Line"/> is in the posted text (null when the problem is elsewhere).</summary>
public sealed record TemplateProblemDto(string Code, string Message, int? Line);
