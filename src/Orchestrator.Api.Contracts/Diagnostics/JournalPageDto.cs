namespace Orchestrator.Api.Contracts.Diagnostics;

/// <summary>The reply of <c>GET /api/journal/{persistenceId}</c>: the entries asked for, in order.</summary>
public sealed record JournalPageDto(string PersistenceId, IReadOnlyList<JournalEntryDto> Events);
