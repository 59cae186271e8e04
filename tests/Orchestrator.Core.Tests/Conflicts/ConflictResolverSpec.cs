using Orchestrator.Core.Conflicts;

namespace Orchestrator.Core.Tests.Conflicts;

public class ConflictResolverSpec
{
    [Fact]
    public void A_running_task_keeps_its_resources_whatever_the_priority()
    {
        var running = new ConflictParty("low", 0, 9, Running: true);
        var urgent = new ConflictParty("urgent", 10, 1);
        var r = ConflictResolver.Resolve(urgent, running);
        Assert.Equal("low", r.Winner.TaskId);
        Assert.Contains("running", r.Reason);
    }

    [Fact]
    public void Higher_priority_goes_first_then_the_task_that_waited_longer_then_the_id()
    {
        Assert.Equal("b", ConflictResolver.Resolve(new("a", 1, 1), new("b", 2, 5)).Winner.TaskId);
        Assert.Contains("priority 2", ConflictResolver.Resolve(new("a", 1, 1), new("b", 2, 5)).Reason);

        var byAge = ConflictResolver.Resolve(new("young", 3, 7), new("old", 3, 2));
        Assert.Equal("old", byAge.Winner.TaskId);
        Assert.Equal("young", byAge.Loser.TaskId);
        Assert.Contains("waited longer", byAge.Reason);

        Assert.Equal("a", ConflictResolver.Resolve(new("b", 3, 2), new("a", 3, 2)).Winner.TaskId);
    }

    [Fact]
    public void The_first_overlapping_pair_of_two_declarations_is_named()
    {
        var mine = new[] { ResourceScope.Parse("key:x"), ResourceScope.Parse("file:src/a.cs") };
        var theirs = new[] { ResourceScope.Parse("file:src/") };
        Assert.Equal((mine[1], theirs[0]), ConflictResolver.FirstOverlap(mine, theirs));
        Assert.Null(ConflictResolver.FirstOverlap(mine, [ResourceScope.Parse("key:y")]));
    }
}
