using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;

namespace Orchestrator.Core.Agents;

/// <summary>The registry's answers to its queries, a page at a time, so that each crosses remoting in one frame however
/// many agents and kinds it holds.</summary>
public sealed partial record AgentRegistryState
{
    /// <summary>The page of agents <paramref name="q"/> asks for, each as <paramref name="status"/> shows it.</summary>
    public AgentList ListPage(ListAgents q, ReplyPageSize size, Func<AgentProfile, AgentStatus> status)
    {
        var agents = q.After is { } after ? Agents.Values.Where(a => string.CompareOrdinal(a.Name, after) > 0) : Agents.Values;
        var (page, more) = size.Take(agents.Select(status), AgentChars.Of);
        return new AgentList(page, more ? page[^1].Agent.Name : null);
    }

    /// <summary>The page of learned performance <paramref name="q"/> asks for.</summary>
    public AgentAnalytics AnalyticsPage(GetAgentAnalytics q, ReplyPageSize size)
    {
        var entries = OrderedPerformance().Where(e => (q.Agent is null || e.Agent == q.Agent) && (q.Kind is null || e.Kind == q.Kind));
        if (q.AfterAgent is { } afterAgent)
        {
            var afterKind = q.AfterKind ?? "";
            entries = entries.Where(e => string.CompareOrdinal(e.Agent, afterAgent) is var c && (c > 0 || (c == 0 && string.CompareOrdinal(e.Kind, afterKind) > 0)));
        }
        var (page, more) = size.Take(entries, AgentChars.Of);
        return more ? new AgentAnalytics(page, page[^1].Agent, page[^1].Kind) : new AgentAnalytics(page);
    }
}
