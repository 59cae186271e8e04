using Orchestrator.Core.Decisions;

namespace Orchestrator.Core.Tests.Decisions;

public sealed class MemberDispatchesSpec
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_granted_request_runs_on_its_grant_and_its_outcome_is_learned_under_the_agent_once_finished()
    {
        var members = new MemberDispatches("s1/vote/2", 2, "review", 5);
        Assert.True(members.Want("1/generate/a", "critic"));
        Assert.False(members.Want("1/generate/a", "critic")); // already waiting
        Assert.Equal([new DispatchCandidate("1/generate/a", 2, "critic", [], "review", 5)], members.Wanted);

        var grant = new DispatchGrant("s1/vote/2", "1/generate/a", 2, "ann", "m1");
        var (start, unused, refused) = members.Take(new DispatchAnswer("s1/vote/2", [grant], [], []), T0);
        Assert.Equal([grant], start);
        Assert.Empty(unused);
        Assert.Null(refused);
        Assert.Empty(members.Wanted);

        var (done, took) = members.Finish("1/generate/a", T0.AddSeconds(3))!.Value;
        Assert.Equal((grant, TimeSpan.FromSeconds(3)), (done, took));
        var outcome = members.Outcome(done, took, "s1/vote/2/1/generate/a", success: false, 30, T0.AddSeconds(3))!;
        Assert.Equal(("ann", "review", "s1/vote/2/1/generate/a", false), (outcome.Agent, outcome.Kind, outcome.TaskKey, outcome.Success));
        Assert.Null(members.Finish("1/generate/a", T0)); // given back once
    }

    [Fact]
    public void A_refusal_fails_the_request_and_a_hold_says_why_it_waits()
    {
        var members = new MemberDispatches("s1/vote/1", 1, "review", 0);
        members.Want("1/generate/a", "critic");
        members.Want("1/generate/b", "ghost");
        var (start, _, refused) = members.Take(new DispatchAnswer("s1/vote/1", [],
            [new DispatchRefusal("1/generate/b", 1, "no model serves it")], [new DispatchHold("1/generate/a", HeldBackReasons.ModelDown)]), T0);

        Assert.Empty(start);
        Assert.Equal("no model serves it", refused!.Reason);
        Assert.Equal(HeldBackReasons.ModelDown, members.WhyWaiting("1/generate/a"));
        Assert.True(members.Withdraw("1/generate/a"));
        Assert.Empty(members.Wanted);
    }

    [Fact]
    public void A_grant_for_a_request_withdrawn_meanwhile_is_to_be_given_back()
    {
        var members = new MemberDispatches("s1/vote/1", 1, "review", 0);
        members.Want("k", "critic");
        Assert.True(members.Withdraw("k")); // its deadline passed while the grant was on its way
        var late = new DispatchGrant("s1/vote/1", "k", 1, "ann", "m1");
        var (start, unused, _) = members.Take(new DispatchAnswer("s1/vote/1", [late], [], []), T0);
        Assert.Empty(start);
        Assert.Equal([late], unused);
    }

    [Fact]
    public void A_grant_that_names_no_agent_teaches_the_registry_nothing()
    {
        var members = new MemberDispatches("s1/vote/1", 1, "review", 0);
        members.Want("k", "writer");
        members.Take(new DispatchAnswer("s1/vote/1", [new DispatchGrant("s1/vote/1", "k", 1, null, "m2")], [], []), T0);
        var (grant, took) = members.Finish("k", T0)!.Value;
        Assert.Null(members.Outcome(grant, took, "s1/vote/1/k", true, 0, T0));
    }
}
