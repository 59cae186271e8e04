namespace Orchestrator.Core.Agents;

/// <summary>The one rule by which a candidate agent is scored for a kind of task, higher is better: its learned quality
/// (success rate times scorers' quality, blended with its declared prior), plus an exploration bonus
/// <c>c·√(ln(N + 1) / (n + 1))</c> (UCB1 over the kind's N outcomes, n of them this agent's; an agent not yet tried
/// at the kind gets <c>1 + c</c>, so it is tried before any other is tried again), plus its speed (the
/// fastest candidate's learned latency over its own, each plus <see cref="LatencyFloorMs"/> so that differences of a
/// few milliseconds count for nothing; 1 while unknown), plus its free capacity (the fraction of its slots free).</summary>
public static class AgentScore
{
    /// <summary>Added to every latency before comparing: a model call takes seconds, and jitter below a second says
    /// nothing about which agent is faster.</summary>
    public const double LatencyFloorMs = 1000;

    /// <summary>The score of one candidate.</summary>
    public static double Of(AgentRegistrySettings settings, double quality, long samples, long kindSamples, double latencyMs,
        double fastestMs, double free)
    {
        // UCB1 tries every arm once first: an agent without an outcome at the kind goes before any that has one.
        var exploration = samples == 0 && settings.ExplorationWeight > 0
            ? 1 + settings.ExplorationWeight
            : settings.ExplorationWeight * Math.Sqrt(Math.Log(kindSamples + 1) / (samples + 1));
        var speed = latencyMs > 0 && double.IsFinite(fastestMs) ? (fastestMs + LatencyFloorMs) / (latencyMs + LatencyFloorMs) : 1;
        return quality + exploration + settings.LatencyWeight * speed + settings.CapacityWeight * free;
    }
}
