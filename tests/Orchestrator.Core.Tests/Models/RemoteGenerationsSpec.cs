using Orchestrator.Core.Models;

namespace Orchestrator.Core.Tests.Models;

public sealed class RemoteGenerationsSpec
{
    [Fact]
    public void The_requests_of_a_lost_node_are_returned_once_and_the_others_stay()
    {
        var generations = new RemoteGenerations<string>();
        generations.Started("r1", "worker-1", "B", "tiny");
        generations.Started("r2", "worker-2", "C", "tiny");
        generations.Started("r3", "worker-3", "B", "big");

        Assert.Equal([new RemoteGeneration<string>("r1", "worker-1", "B", "tiny"), new RemoteGeneration<string>("r3", "worker-3", "B", "big")],
            generations.LostWith("B"));
        Assert.Empty(generations.LostWith("B"));
        Assert.Equal(1, generations.Count);
        Assert.Equal("C", generations.End("r2")?.Node);
        Assert.Null(generations.End("r2"));
        Assert.Equal(0, generations.Count);
    }
}
