using Orchestrator.Api.Contracts.Agents;
using Orchestrator.Core.Agents;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>The agent registry's replies as the API's contracts.</summary>
internal static class AgentViews
{
    public static PerformanceDto ToDto(this PerformanceStats p) => new(
        p.Samples, p.Successes, p.SuccessRate, p.LatencyMs, p.TimedSamples, p.TokensPerSecond, p.QualitySamples, p.Quality, p.LastAt);

    public static AgentProfileDto ToDto(this AgentProfile a) => new(a.Name, a.Role, a.Capabilities, a.Model, a.MaxConcurrentTasks, a.Specialization);

    /// <summary>The view of <paramref name="status"/>: free slots are the limit less the tasks in flight; with
    /// <paramref name="kinds"/> when given.</summary>
    public static AgentDto ToDto(this AgentStatus status, IReadOnlyList<KindPerformanceDto>? kinds = null) => new(
        status.Agent.Name, status.Agent.Role, status.Agent.Capabilities, status.Agent.Model, status.Agent.MaxConcurrentTasks,
        status.Agent.Specialization, status.Healthy, status.InFlight, Math.Max(0, status.Agent.MaxConcurrentTasks - status.InFlight),
        status.Overall.ToDto(), kinds);

    public static IReadOnlyList<KindPerformanceDto> ToDto(this AgentAnalytics analytics) =>
        analytics.Entries.Select(e => new KindPerformanceDto(e.Agent, e.Kind, e.Stats.ToDto())).ToList();
}
