using System.Text.Json;

namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>One persisted event of a session in <c>GET /api/sessions/{id}/events</c> (the SSE event type is its
/// manifest, its id the sequence number); <see cref="Event"/> is the event's own JSON.</summary>
public sealed record SessionEventDto(string SessionId, long SequenceNr, string Manifest, JsonElement Event);
