using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Councils;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryReplies;

namespace Orchestrator.Engine.Tests.Councils;

/// <summary>The council directory: councils per role created, listed and deleted at run time, refused with the reason
/// when bad, and still there after the actor restarts over the same journal.</summary>
public sealed class CouncilDirectorySpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly CouncilSpec Devs = new([new("a", "DEV"), new("b", "DEV")], Rounds: 2);

    private IActorRef Directory(int snapshotEvery = 100) => Sys.ActorOf(CouncilDirectory.Props(snapshotEvery: snapshotEvery));

    private void Restart(IActorRef directory)
    {
        Watch(directory);
        Sys.Stop(directory);
        ExpectTerminated(directory);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1)]
    public void Councils_survive_a_restart_over_the_same_journal(int snapshotEvery)
    {
        var first = Directory(snapshotEvery);
        first.Tell(new CreateCouncil("DEV", Devs));
        ExpectMsg<CouncilCreated>();
        first.Tell(new CreateCouncil("QA", Devs with { Members = [new("q1", "QA"), new("q2", "QA")] }));
        ExpectMsg<CouncilCreated>();
        first.Tell(new DeleteCouncil("DEV"));
        ExpectMsg<CouncilDeleted>();
        Restart(first);

        var second = Directory(snapshotEvery);
        second.Tell(new ListCouncils());

        var council = Assert.Single(ExpectMsg<CouncilList>().Councils);
        Assert.Equal("QA", council.Role);
        Assert.Equal(["q1", "q2"], council.Council.Members.Select(m => m.Name));
        second.Tell(new GetCouncil("DEV"));
        ExpectMsg<CouncilNotFound>();
    }

    [Fact]
    public void A_council_with_one_member_or_a_bad_role_name_is_refused_with_the_reason()
    {
        var directory = Directory();

        directory.Tell(new CreateCouncil("ARCHITECT LEAD", new CouncilSpec([new("a", "ARCHITECT")])));

        var rejected = ExpectMsg<CouncilRejected>();
        Assert.Contains(rejected.Problems, p => p.Contains("at least 2 members, not 1"));
        Assert.Contains(rejected.Problems, p => p.Contains("role 'ARCHITECT LEAD' must be 1 to 64 letters"));
        directory.Tell(new ListCouncils());
        Assert.Empty(ExpectMsg<CouncilList>().Councils);
    }
}
