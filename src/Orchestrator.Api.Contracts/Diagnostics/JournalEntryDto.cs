using System.Text.Json;

namespace Orchestrator.Api.Contracts.Diagnostics;

/// <summary>One journal entry: our events with their JSON, anything else by type name only (<see cref="Event"/> null).</summary>
public sealed record JournalEntryDto(long SequenceNr, long Offset, DateTimeOffset Timestamp, string Manifest, JsonElement? Event);
