namespace Orchestrator.Api.Contracts.Templates;

/// <summary>How a template's prompts share the session's conversation: whether they do, and within which limits.</summary>
public sealed record SessionContextSettingsDto(bool ShareHistory, ContextLimitsDto Limits);
