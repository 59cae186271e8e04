using Orchestrator.Core.Agents;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Tests.Agents.AgentFixtures;

namespace Orchestrator.Core.Tests.Agents;

/// <summary>The registry's list, analytics and subscriber's copy in pages of a bounded size: read to the last page (or
/// joined), they hold everything, in order, each page within its size unless it holds a single item.</summary>
public sealed class AgentRegistryPagesSpec
{
    private static readonly ReplyPageSize Small = new(2_000);

    /// <summary>60 agents (names in a different order from their registration), each with outcomes at 3 kinds, and one
    /// task holding a slot.</summary>
    private static Registry Populated()
    {
        var registry = new Registry();
        foreach (var i in Enumerable.Range(0, 60).Reverse())
        {
            Assert.IsType<AgentAccepted>(registry.Register($"agent-{i:00}", capabilities: ["code", "review"]));
            foreach (var kind in new[] { "draft", "edit", "score" }) registry.Outcome($"agent-{i:00}", kind, success: i % 2 == 0);
        }
        Assert.IsType<AgentSelected>(registry.Select("s/t/1", "draft", "code"));
        return registry;
    }

    private static AgentStatus Status(AgentProfile a) => new(a, true, 0, PerformanceStats.Empty);

    [Fact]
    public void The_list_read_page_by_page_holds_every_agent_by_name_each_page_within_its_size()
    {
        var state = Populated().State;
        var names = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = state.ListPage(new ListAgents(after), Small, Status);
            Assert.NotEmpty(page.Agents);
            Assert.True(page.Agents.Count == 1 || page.Agents.Sum(AgentChars.Of) <= Small.MaxChars, $"page {pages} holds {page.Agents.Sum(AgentChars.Of)} chars");
            names.AddRange(page.Agents.Select(a => a.Agent.Name));
            after = page.Next;
            pages++;
        } while (after is not null);

        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"agent-{i:00}"), names);
        Assert.True(pages > 5, $"{pages} pages");
        Assert.Null(state.ListPage(new ListAgents(), ReplyPageSize.Unlimited, Status).Next);
    }

    [Fact]
    public void Analytics_read_page_by_page_hold_every_entry_by_agent_then_kind_and_keep_their_filter()
    {
        var state = Populated().State;
        var all = state.AnalyticsPage(new GetAgentAnalytics(), ReplyPageSize.Unlimited);
        Assert.Null(all.NextAgent);
        Assert.Equal(60 * 4, all.Entries.Count); // three kinds and the overall figures of each agent

        foreach (var query in new[] { new GetAgentAnalytics(), new GetAgentAnalytics(Kind: "edit"), new GetAgentAnalytics("agent-07") })
        {
            var entries = new List<AgentKindPerformance>();
            var next = query;
            while (true)
            {
                var page = state.AnalyticsPage(next, new ReplyPageSize(1_500));
                Assert.NotEmpty(page.Entries);
                entries.AddRange(page.Entries);
                if (page.NextAgent is null) break;
                next = query with { AfterAgent = page.NextAgent, AfterKind = page.NextKind };
            }
            var expected = all.Entries.Where(e => (query.Agent is null || e.Agent == query.Agent) && (query.Kind is null || e.Kind == query.Kind));
            Assert.Equal(expected.Select(e => (e.Agent, e.Kind)), entries.Select(e => (e.Agent, e.Kind)));
        }
    }

    [Fact]
    public void The_copy_in_parts_joins_into_the_whole_registry_and_each_part_fits()
    {
        var state = Populated().State;
        var parts = state.ToCopy(Small);

        Assert.True(parts.Count > 5, $"{parts.Count} parts");
        Assert.Equal(Enumerable.Range(0, parts.Count), parts.Select(p => p.Part));
        Assert.Equal([.. Enumerable.Repeat(false, parts.Count - 1), true], parts.Select(p => p.Last));
        foreach (var part in parts)
        {
            var chars = part.Agents.Sum(AgentChars.Of) + part.Performance.Sum(AgentChars.Of) + part.Assignments.Sum(AgentChars.Of);
            Assert.True(chars <= Small.MaxChars || part.Agents.Count + part.Performance.Count + part.Assignments.Count == 1, $"part {part.Part}: {chars} chars");
        }

        var joined = AgentRegistryState.FromSnapshot(AgentSnapshots.Join(parts), Settings.Alpha);
        Assert.Equal(state.Agents.Keys, joined.Agents.Keys);
        Assert.Equal(state.Stats.OrderBy(kv => kv.Key.ToString()), joined.Stats.OrderBy(kv => kv.Key.ToString()));
        Assert.Equal(state.Assignments.Keys.Order(), joined.Assignments.Keys.Order());
        Assert.Equal(1, joined.InFlightOf(state.Assignments.Values.Single().Agent));

        var whole = Assert.Single(state.ToCopy(ReplyPageSize.Unlimited));
        Assert.True(whole.Last);
        Assert.Single(AgentRegistryState.Empty(Settings.Alpha).ToCopy(Small)); // an empty registry is one empty part
    }

    [Fact]
    public void A_page_takes_as_many_items_as_fit_and_always_one()
    {
        var size = new ReplyPageSize(10);
        Assert.Equal("1 2 3 +", Show(size.Take([1, 2, 3, 4, 5], _ => 3)));
        Assert.Equal("1 2", Show(size.Take([1, 2], _ => 5)));
        Assert.Equal("7 +", Show(size.Take([7, 8], _ => 50)));
        Assert.Equal("", Show(size.Take(Array.Empty<int>(), _ => 1)));
        Assert.Equal("1 +", Show(size.Take([1, 2], _ => 4, used: 5)));
    }

    /// <summary>A page as its items, then <c>+</c> when more are left.</summary>
    private static string Show((IReadOnlyList<int> Page, bool More) taken) => string.Join(' ', taken.Page) + (taken.More ? " +" : "");
}
