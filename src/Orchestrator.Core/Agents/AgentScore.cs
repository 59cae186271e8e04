namespace Orchestrator.Core.Agents;

/// <summary>The one rule by which a candidate agent is scored for a kind of task, higher is better: its learned quality
/// (success rate times scorers' quality, blended with its declared prior), plus an exploration bonus
/// <c>c·√(ln(N + 1) / (n + 1))</c> (UCB1 over the kind's N outcomes, n of them this agent's), plus its speed (the
/// fastest candidate's learned latency over its own, 1 while unknown), plus its free capacity (the fraction of its
/// slots free).</summary>
public static class AgentScore
{
    /// <summary>The score of one candidate.</summary>
    public static double Of(AgentRegistrySettings settings, double quality, long samples, long kindSamples, double latencyMs,
        double fastestMs, double free)
    {
        var exploration = settings.ExplorationWeight * Math.Sqrt(Math.Log(kindSamples + 1) / (samples + 1));
        var speed = latencyMs > 0 && fastestMs > 0 ? fastestMs / latencyMs : 1;
        return quality + exploration + settings.LatencyWeight * speed + settings.CapacityWeight * free;
    }
}
