using System.Text.Json;

namespace Orchestrator.Api.Contracts.Diagnostics;

/// <summary>One event of the node-wide feed (<c>GET /api/events</c>; the SSE id is its journal ordering).</summary>
public sealed record FeedEventDto(long Ordering, string PersistenceId, long SequenceNr, string Manifest, JsonElement Event);
