namespace Orchestrator.Api.Contracts.Templates;

/// <summary>The limits of a shared conversation: its size, when it is summarized and by which role, the turns kept as they are.</summary>
public sealed record ContextLimitsDto(int MaxChars, int SummarizeAboveChars, string? SummarizerRole, string? Language, int KeepRecentTurns);
