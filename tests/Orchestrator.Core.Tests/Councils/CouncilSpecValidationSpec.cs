using Orchestrator.Core.Context;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Tests.Councils;

/// <summary>A council (in a template, or created in the directory) is refused with every reason in its shape: fewer
/// than two members, a name used twice, a member without a role, rounds out of range, an agent selector without a role.
/// Whether models serve its roles is not a problem of its shape: registered agents and the cluster's models change while a
/// template stays as written, so a session's start asks then (<see cref="CouncilSessionStartSpec"/>).</summary>
public class CouncilSpecValidationSpec
{
    private static CouncilSpec Of(params CouncilMember[] members) => new(members);

    [Fact]
    public void A_valid_council_has_no_problem_whatever_models_its_members_name()
    {
        Assert.Empty(Of(new("a", "DEV"), new("b", "QA"), new("c", "DEV", "big")).Problems());
    }

    [Fact]
    public void Fewer_than_two_members_are_refused()
    {
        Assert.Contains("at least 2 members, not 1", Assert.Single(Of(new CouncilMember("a", "DEV")).Problems()));
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var spec = new CouncilSpec([new("a", " "), new("a", "DEV")], Rounds: 0, Selector: CouncilSelectorKind.Agent);

        var problems = spec.Problems();

        Assert.Contains(problems, p => p.Contains("'a' is used 2 times"));
        Assert.Contains(problems, p => p.Contains("member 'a' has no role"));
        Assert.Contains(problems, p => p.Contains("rounds must be between 1"));
        Assert.Contains(problems, p => p.Contains("selector-role"));
    }

    [Fact]
    public void A_template_node_with_a_bad_council_is_refused_with_its_location()
    {
        var node = new WorkflowNode("write", "DEV", "write f", [], Source: new SourceLocation("c.conf", 7),
            Council: new CouncilSpec([new("a", "POET")], Rounds: 0));
        var library = new Dictionary<string, WorkflowTemplate> { ["c"] = new("c", [node], SessionSettingsSpec.Empty, []) };

        var resolution = TemplateResolver.Resolve("c", library, new Dictionary<string, string>());

        Assert.False(resolution.IsValid);
        Assert.Equal(2, resolution.Problems.Count);
        Assert.All(resolution.Problems, p => Assert.Equal("invalid-council", p.Code));
        Assert.All(resolution.Problems, p => Assert.StartsWith("c.conf:7: invalid-council: node 'write': council:", p.ToString()));
    }

    [Fact]
    public void Roles_are_not_a_problem_of_the_template_but_the_member_count_is()
    {
        var node = new WorkflowNode("write", "DEV", "write f", [], Council: Of(new("a", "POET"), new("b", "POET")));
        var lone = new WorkflowNode("solo", "DEV", "write f", [], Council: Of(new CouncilMember("a", "POET")));
        var library = new Dictionary<string, WorkflowTemplate> { ["c"] = new("c", [node, lone], SessionSettingsSpec.Empty, []) };

        var resolution = TemplateResolver.Resolve("c", library, null);

        Assert.Contains("node 'solo'", Assert.Single(resolution.Problems).Message);
    }

    [Fact]
    public void A_council_named_by_role_is_left_to_the_directory()
    {
        Assert.Empty(new CouncilSpec([], Role: "QA").Problems());
        Assert.True(new CouncilSpec([], Role: "QA").IsReference);
    }

    [Fact]
    public void A_councils_agents_are_its_members_and_its_selector_when_an_agent_selects()
    {
        var members = new CouncilMember[] { new("a", "DEV"), new("b", "QA", "big") };

        Assert.Equal(members, new CouncilSpec(members).Agents());
        Assert.Equal([.. members, new CouncilMember("selector", "JUDGE")],
            new CouncilSpec(members, Selector: CouncilSelectorKind.Agent, SelectorRole: "JUDGE").Agents());
    }
}

/// <summary>Whether a council's and a chat's agents can be served is decided when a session starts, against the
/// cluster as the node sees it: a role is served by a registered agent of it or by its default model, here or on a
/// reachable member; each problem is named, and nothing is written.</summary>
public class CouncilSessionStartSpec
{
    private static readonly StartSession Start = new("s1", "t", new Dictionary<string, string>());

    /// <summary>This node serves <c>tiny</c>, the default model of DEV; <paramref name="agentModels"/> are the models of
    /// each role's registered agents, <paramref name="elsewhere"/> what other members serve.</summary>
    private static ServingModels Serving(IReadOnlyDictionary<string, IReadOnlyList<string>>? agentModels = null, params string[] elsewhere) =>
        ServingModels.Starting(["tiny"], new Dictionary<string, string> { ["DEV"] = "tiny" }) with
        {
            Local = new Dictionary<string, ModelServing> { ["tiny"] = ModelServing.Serving },
            AgentModels = agentModels ?? new Dictionary<string, IReadOnlyList<string>>(),
            Elsewhere = elsewhere.ToHashSet(StringComparer.Ordinal),
        };

    private static CommandResult<SessionState> Decide(WorkflowNode node, ServingModels serving)
    {
        var library = new Dictionary<string, WorkflowTemplate> { ["t"] = new("t", [node], SessionSettingsSpec.Empty, []) };
        return SessionState.Empty("s1").Decide(Start, library, DateTimeOffset.UnixEpoch).UnlessUnserved(SessionState.Empty("s1"), serving);
    }

    private static readonly WorkflowNode Poets = new("decide", "DEV", "choose", [], Council: new CouncilSpec([new("a", "DEV"), new("b", "POET")]));

    [Fact]
    public void A_council_member_whose_role_nothing_serves_refuses_the_start_naming_it()
    {
        var refused = Decide(Poets, Serving());

        Assert.Empty(refused.Events);
        Assert.StartsWith("no model serves role 'POET'", Assert.Single(Assert.IsType<SessionRejected>(refused.Reply).Problems));
    }

    [Fact]
    public void A_council_member_whose_role_only_a_registered_agent_serves_starts()
    {
        var started = Decide(Poets, Serving(new Dictionary<string, IReadOnlyList<string>> { ["POET"] = ["tiny"] }));

        Assert.IsType<SessionStarted>(started.Reply);
    }

    [Fact]
    public void A_council_member_whose_role_another_node_serves_starts()
    {
        Assert.IsType<SessionStarted>(Decide(Poets, Serving(null, "POET")).Reply);
    }

    [Fact]
    public void A_selector_judge_and_summarizer_are_held_to_the_same_rule()
    {
        var council = new WorkflowNode("decide", "DEV", "choose", [],
            Council: new CouncilSpec([new("a", "DEV"), new("b", "DEV")], Selector: CouncilSelectorKind.Agent, SelectorRole: "JUDGE"));
        var chat = new WorkflowNode("talk", "DEV", "talk", [],
            Chat: new GroupChatSpec([new("a", "DEV"), new("b", "DEV")], JudgeRole: "REFEREE", Context: new ContextSettings(SummarizerRole: "SCRIBE")));

        Assert.StartsWith("no model serves role 'JUDGE'", Assert.Single(Assert.IsType<SessionRejected>(Decide(council, Serving()).Reply).Problems));
        Assert.Equal(["REFEREE", "SCRIBE"], Assert.IsType<SessionRejected>(Decide(chat, Serving()).Reply).Problems
            .Select(p => p.Split('\'')[1]));
    }
}
