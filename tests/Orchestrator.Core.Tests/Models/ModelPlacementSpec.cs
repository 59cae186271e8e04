using Orchestrator.Core.Models;
using static Orchestrator.Core.Models.ModelCapacity;

namespace Orchestrator.Core.Tests.Models;

public sealed class ModelPlacementSpec
{
    private const string B = "akka.tcp://orchestrator@127.0.0.1:2";
    private const string C = "akka.tcp://orchestrator@127.0.0.1:3";

    private static HashSet<string> Set(params string[] models) => new(models, StringComparer.Ordinal);

    private static NodeModelLoad Load(string node, string model, int sequences, int active, int queued = 0, bool running = true) =>
        new(node, [new ModelLoad(model, running, sequences, active, queued)]);

    [Fact]
    public void A_model_this_node_serves_stays_here_even_when_another_node_has_more_room()
    {
        var placement = new ModelPlacement(Set("tiny"));
        placement.MemberUp(B, Set("tiny"));
        placement.LoadReported(Load(B, "tiny", 8, 0));
        Assert.Equal(ModelRoute.Local.Instance, placement.Route("tiny"));
    }

    [Fact]
    public void A_model_served_only_elsewhere_goes_to_the_member_with_most_free_sequences()
    {
        var placement = new ModelPlacement(Set("small"));
        placement.MemberUp(B, Set("tiny"));
        placement.MemberUp(C, Set("tiny", "other"));
        placement.LoadReported(Load(B, "tiny", 4, 3));
        placement.LoadReported(Load(C, "tiny", 4, 1));
        Assert.Equal(new ModelRoute.Remote(C), placement.Route("tiny"));
    }

    [Fact]
    public void Requests_sent_since_the_last_report_count_so_a_burst_spreads_over_the_nodes()
    {
        var placement = new ModelPlacement(Set());
        placement.MemberUp(B, Set("tiny"));
        placement.MemberUp(C, Set("tiny"));
        placement.LoadReported(Load(B, "tiny", 4, 0));
        placement.LoadReported(Load(C, "tiny", 4, 2));
        var routes = Enumerable.Range(0, 6).Select(_ => ((ModelRoute.Remote)placement.Route("tiny")).Node).ToList();
        Assert.Equal([B, B, B, C, B, C], routes);
        placement.LoadReported(Load(B, "tiny", 4, 4, queued: 2));
        Assert.Equal(new ModelRoute.Remote(C), placement.Route("tiny"));
    }

    [Fact]
    public void A_node_whose_pool_is_not_running_is_chosen_only_when_no_other_runs_it()
    {
        var placement = new ModelPlacement(Set());
        placement.MemberUp(B, Set("tiny"));
        placement.MemberUp(C, Set("tiny"));
        placement.LoadReported(Load(B, "tiny", 8, 0, running: false));
        placement.LoadReported(Load(C, "tiny", 2, 2, queued: 5));
        Assert.Equal(new ModelRoute.Remote(C), placement.Route("tiny"));
        placement.MemberGone(C);
        Assert.Equal(new ModelRoute.Remote(B), placement.Route("tiny"));
    }

    [Fact]
    public void Unreachable_and_departed_members_are_not_chosen_and_their_models_are_not_served_elsewhere()
    {
        var placement = new ModelPlacement(Set("small"));
        placement.MemberUp(B, Set("tiny"));
        placement.MemberUp(C, Set("tiny", "big"));
        placement.SetReachable(C, false);
        Assert.Equal(Set("tiny"), placement.ServedElsewhere);
        Assert.Equal(new ModelRoute.Remote(B), placement.Route("tiny"));
        placement.MemberGone(B);
        var unreachable = Assert.IsType<ModelRoute.Unserved>(placement.Route("tiny"));
        Assert.Equal($"every node that serves model 'tiny' is unreachable ({C})", unreachable.Reason);
        placement.SetReachable(C, true);
        Assert.Equal(new ModelRoute.Remote(C), placement.Route("big"));
    }

    [Fact]
    public void A_model_no_node_serves_is_unserved_with_a_reason_naming_it_and_what_is_served()
    {
        var placement = new ModelPlacement(Set("small"));
        placement.MemberUp(B, Set("tiny"));
        var route = Assert.IsType<ModelRoute.Unserved>(placement.Route("absent"));
        Assert.Equal("no node of the cluster serves model 'absent' (served here: small; elsewhere: tiny)", route.Reason);
    }

    [Fact]
    public void Reports_of_nodes_that_are_not_members_and_of_models_a_node_does_not_serve_are_ignored()
    {
        var placement = new ModelPlacement(Set());
        placement.LoadReported(Load(B, "tiny", 8, 0));
        placement.MemberUp(B, Set("tiny"));
        placement.MemberUp(C, Set("tiny"));
        placement.LoadReported(Load(C, "tiny", 1, 1));
        placement.LoadReported(new NodeModelLoad(B, [new ModelLoad("other", true, 100, 0, 0), null!]));
        placement.LoadReported(new NodeModelLoad(C, null!));
        // B's report before it was a member and its report of a model it does not serve count for nothing: 0 free each.
        Assert.Equal(new ModelRoute.Remote(B), placement.Route("tiny"));
    }

    [Fact]
    public void Model_roles_name_the_models_a_member_serves()
    {
        Assert.Equal("model:tiny", ModelRoles.RoleOf("tiny"));
        Assert.Equal(Set("tiny", "a:b"), ModelRoles.ModelsOf(["dc-default", "model:tiny", "model:", "model:a:b", "Model:x"]));
    }
}
