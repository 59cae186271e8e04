namespace Orchestrator.Api.Contracts.Models;

/// <summary>One model's live figures (<c>GET /api/models/{name}/stats</c>; the rate window in seconds).</summary>
public sealed record ModelStatsDto(
    string Model,
    bool Loaded,
    int QueueLength,
    int ActiveSequences,
    int Sequences,
    double TokensPerSecond,
    double RateWindowSeconds,
    long TokensGenerated,
    long RequestsServed,
    long RequestsFailed,
    long RequestsRejected,
    string? NativeVariant = null);
