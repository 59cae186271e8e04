using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryEvents;
using static Orchestrator.Core.Councils.CouncilDirectoryReplies;

namespace Orchestrator.Core.Tests.Councils;

public class CouncilDirectoryStateSpec
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly CouncilSpec Devs = new([new("a", "DEV"), new("b", "DEV")], Rounds: 2);

    private static CouncilDirectoryState Run(CouncilDirectoryState s, params object[] commands) =>
        commands.Aggregate(s, (state, c) => state.ApplyAllOf(state.Decide((Orchestrator.Messages.IClusterMessage)c, null, T0).Events));

    [Fact]
    public void Councils_are_created_listed_found_and_deleted_by_role()
    {
        var s = CouncilDirectoryState.Empty;
        var (events, reply) = s.Decide(new CreateCouncil("DEV", Devs), null, T0);
        Assert.Equal("DEV", Assert.IsType<CouncilCreated>(reply).Council.Role);
        s = s.ApplyAllOf(events);

        Assert.Equal(["DEV"], Assert.IsType<CouncilList>(s.Decide(new ListCouncils(), null, T0).Reply).Councils.Select(c => c.Role));
        Assert.Equal("DEV", Assert.IsType<CouncilFound>(s.Decide(new GetCouncil("DEV"), null, T0).Reply).Council.Council.Role);

        (events, reply) = s.Decide(new DeleteCouncil("DEV"), null, T0);
        Assert.IsType<CouncilDeleted>(reply);
        s = s.ApplyAllOf(events);
        Assert.IsType<CouncilNotFound>(s.Decide(new GetCouncil("DEV"), null, T0).Reply);
        Assert.IsType<CouncilNotFound>(s.Decide(new DeleteCouncil("DEV"), null, T0).Reply);
    }

    [Fact]
    public void A_bad_council_is_refused_with_the_reason_and_nothing_persisted()
    {
        var (events, reply) = CouncilDirectoryState.Empty.Decide(new CreateCouncil("QA", new CouncilSpec([new("a", "QA")])), null, T0);

        Assert.Empty(events);
        var rejected = Assert.IsType<CouncilRejected>(reply);
        Assert.Contains(rejected.Problems, p => p.Contains("at least 2 members"));
    }

    [Fact]
    public void Member_names_follow_the_agent_name_rule()
    {
        var (events, reply) = CouncilDirectoryState.Empty.Decide(
            new CreateCouncil("DEV", new CouncilSpec([new("a b", "DEV"), new("b", "DEV")])), null, T0);

        Assert.Empty(events);
        Assert.Contains("member name 'a b' must be 1 to 64 letters", Assert.Single(Assert.IsType<CouncilRejected>(reply).Problems));
    }

    [Fact]
    public void A_role_keeps_one_council_until_it_is_deleted()
    {
        var s = Run(CouncilDirectoryState.Empty, new CreateCouncil("DEV", Devs));

        var (events, reply) = s.Decide(new CreateCouncil("DEV", Devs), null, T0);

        Assert.Empty(events);
        Assert.Contains("has a council already", Assert.Single(Assert.IsType<CouncilRejected>(reply).Problems));
    }

    [Fact]
    public void The_list_read_page_by_page_holds_every_council_by_role_each_page_within_its_size()
    {
        var s = Run(CouncilDirectoryState.Empty, Enumerable.Range(0, 40).Reverse()
            .Select(i => (object)new CreateCouncil($"R{i:00}", Devs with { Rubric = new string('r', 300) })).ToArray());
        var size = new ReplyPageSize(2_000);
        var roles = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = Assert.IsType<CouncilList>(s.Decide(new ListCouncils(after), null, T0, size).Reply);
            Assert.True(page.Councils.Count == 1 || page.Councils.Sum(CouncilDirectoryState.CharsOf) <= size.MaxChars);
            roles.AddRange(page.Councils.Select(c => c.Role));
            after = page.Next;
            pages++;
        } while (after is not null);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"R{i:00}"), roles);
        Assert.True(pages >= 10, $"{pages} pages");
        Assert.Null(Assert.IsType<CouncilList>(s.Decide(new ListCouncils(), null, T0).Reply).Next); // no size: one page
    }

    [Fact]
    public void Councils_past_the_bounds_are_refused_with_the_reason()
    {
        var many = Enumerable.Range(0, CouncilSpec.MaxMembers + 1).Select(i => new CouncilMember($"m{i}", "DEV")).ToList();
        var tooLarge = CouncilDirectoryState.Empty.Decide(new CreateCouncil("DEV", new CouncilSpec(many)), null, T0);
        Assert.Empty(tooLarge.Events);
        Assert.Contains("a council has at most 32 members, not 33", Assert.IsType<CouncilRejected>(tooLarge.Reply).Problems);

        var longRubric = CouncilDirectoryState.Empty.Decide(new CreateCouncil("DEV", Devs with { Rubric = new string('r', CouncilSpec.MaxTextLength + 1) }), null, T0);
        Assert.Contains("the rubric has 8193 characters; at most 8192", Assert.IsType<CouncilRejected>(longRubric.Reply).Problems);

        var full = Run(CouncilDirectoryState.Empty, Enumerable.Range(0, CouncilDirectoryState.MaxCouncils).Select(i => (object)new CreateCouncil($"R{i}", Devs)).ToArray());
        Assert.Equal(CouncilDirectoryState.MaxCouncils, full.Councils.Count);
        var refused = full.Decide(new CreateCouncil("ONE-MORE", Devs), null, T0);
        Assert.Empty(refused.Events);
        Assert.Contains("the directory holds 1000 councils, its most: delete one first", Assert.IsType<CouncilRejected>(refused.Reply).Problems);
        Assert.IsType<CouncilCreated>(Run(full, new DeleteCouncil("R0")).Decide(new CreateCouncil("ONE-MORE", Devs), null, T0).Reply);
    }

    [Fact]
    public void A_snapshot_holds_every_council()
    {
        var s = Run(CouncilDirectoryState.Empty, new CreateCouncil("DEV", Devs), new CreateCouncil("DEV2", Devs));

        var back = CouncilDirectoryState.From(s.ToSnapshot());

        Assert.Equal(s.Councils.Keys, back.Councils.Keys);
        Assert.Equal(s.Councils["DEV2"], back.Councils["DEV2"]);
    }
}

internal static class CouncilDirectoryStateExtensions
{
    internal static CouncilDirectoryState ApplyAllOf(this CouncilDirectoryState s, IEnumerable<Orchestrator.Core.Messaging.IPersistedEvent> events) =>
        events.Aggregate(s, (state, e) => state.Apply(e));
}
