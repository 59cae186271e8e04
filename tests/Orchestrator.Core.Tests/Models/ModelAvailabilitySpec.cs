using Orchestrator.Core.Models;

namespace Orchestrator.Core.Tests.Models;

public sealed class ModelAvailabilitySpec
{
    private static HashSet<string> Set(params string[] models) => new(models, StringComparer.Ordinal);

    [Fact]
    public void A_model_not_served_here_is_available_while_another_node_serves_it()
    {
        var availability = new ModelAvailability();
        Assert.False(availability.Probed("tiny", alive: false));
        Assert.Equal([("tiny", true)], availability.ServedElsewhere(Set("tiny")));
        Assert.True(availability.IsAvailable("tiny"));
        Assert.True(availability.Probed("tiny", alive: false));
        Assert.Equal([("tiny", false)], availability.ServedElsewhere(Set()));
        Assert.False(availability.IsAvailable("tiny"));
    }

    [Fact]
    public void A_model_alive_here_does_not_change_with_what_other_nodes_serve()
    {
        var availability = new ModelAvailability();
        Assert.True(availability.Probed("tiny", alive: true));
        Assert.Empty(availability.ServedElsewhere(Set("tiny")));
        Assert.Empty(availability.ServedElsewhere(Set()));
        Assert.True(availability.IsAvailable("tiny"));
    }
}
