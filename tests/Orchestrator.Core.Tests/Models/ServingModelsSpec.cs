using Orchestrator.Core.Models;

namespace Orchestrator.Core.Tests.Models;

/// <summary>Which roles a node can serve and whether it is ready for its models, from each model's state, the models
/// other nodes serve and the agents of each role.</summary>
public sealed class ServingModelsSpec
{
    private static readonly ModelServing Failed = ModelServing.Loading.Broke("bad magic");

    private static ServingModels View(params (string Model, ModelServing Serving)[] local) =>
        ServingModels.Starting([], new Dictionary<string, string> { ["writer"] = "big" }) with
        {
            Local = local.ToDictionary(l => l.Model, l => l.Serving, StringComparer.Ordinal),
        };

    [Fact]
    public void A_model_that_fails_before_it_ever_served_is_failed_and_one_that_fails_while_serving_is_restarting()
    {
        Assert.Equal(new ModelServing(ModelServingState.Failed, "bad magic"), Failed);
        Assert.Equal(ModelServingState.Restarting, ModelServing.Serving.Broke("host ended").State);
        Assert.Equal(ModelServingState.Failed, ModelServing.Serving.Broke("host ended").Broke("bad magic").State);
        Assert.True(ModelServing.Loading.IsComing);
        Assert.True(ModelServing.Serving.Broke("host ended").IsComing);
        Assert.False(Failed.IsComing);
    }

    [Fact]
    public void A_role_whose_default_model_failed_is_refused_naming_the_role_the_model_and_why()
    {
        var problem = View(("big", Failed)).RoleProblem("writer");

        Assert.Equal("no model serves role 'writer': model 'big' failed: bad magic", problem);
        Assert.Null(View(("big", ModelServing.Loading)).RoleProblem("writer"));
    }

    [Fact]
    public void A_role_is_served_by_an_agent_whose_model_serves_or_by_a_model_another_node_serves()
    {
        var view = View(("big", Failed), ("small", ModelServing.Serving));

        Assert.NotNull(view.RoleProblem("writer"));
        Assert.Null((view with { AgentModels = new Dictionary<string, IReadOnlyList<string>> { ["writer"] = ["small"] } }).RoleProblem("writer"));
        Assert.Null((view with { Elsewhere = new HashSet<string> { "big" } }).RoleProblem("writer"));
        Assert.Contains("model 'nowhere' is served by no reachable node", view.RoleProblem("nowhere"));
    }

    [Fact]
    public void A_node_is_not_ready_while_none_of_its_models_serves_and_names_those_that_do_not_when_some_do()
    {
        Assert.Equal("no configured model serves: model 'big' failed: bad magic; model 'small' is loading",
            View(("big", Failed), ("small", ModelServing.Loading)).ReadinessProblem);
        var degraded = View(("big", Failed), ("small", ModelServing.Serving));
        Assert.Null(degraded.ReadinessProblem);
        Assert.Equal(["model 'big' failed: bad magic"], degraded.NotServing);
        Assert.Null(View().ReadinessProblem); // a node configuring no model is not held to one
    }

    [Fact]
    public void Sessions_are_held_to_models_once_this_node_or_a_member_has_some()
    {
        Assert.False(View().HoldsSessions);
        Assert.True((View() with { Elsewhere = new HashSet<string> { "big" } }).HoldsSessions);
        Assert.True(View(("big", Failed)).HoldsSessions);
    }
}
