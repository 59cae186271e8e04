using Orchestrator.Core.Councils;
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
