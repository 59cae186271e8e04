namespace Orchestrator.Api.Contracts.Agents;

/// <summary>Learned performance as moving averages: success rate and quality (0 to 1), latency in ms, tokens per second,
/// with the samples behind each and when the last one came.</summary>
public sealed record PerformanceDto(
    long Samples,
    long Successes,
    double SuccessRate,
    double LatencyMs,
    long TimedSamples,
    double TokensPerSecond,
    long QualitySamples,
    double Quality,
    DateTimeOffset? LastAt);
