using Orchestrator.Core.Councils;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Tests.Councils;

/// <summary>A council (in a template, or created in the directory) is refused with every reason: fewer than two
/// members, a role no configured model serves, a member asking for a model that is not configured.</summary>
public class CouncilSpecValidationSpec
{
    private static readonly AgentCatalog Agents = new(
        new HashSet<string> { "tiny", "QA" },
        new Dictionary<string, string> { ["DEV"] = "tiny", ["ARCHITECT"] = "tiny", ["GHOST"] = "missing" });

    private static CouncilSpec Of(params CouncilMember[] members) => new(members);

    [Fact]
    public void A_valid_council_has_no_problem()
    {
        Assert.Empty(Of(new("a", "DEV"), new("b", "QA"), new("c", "DEV", "tiny")).Problems(Agents));
    }

    [Fact]
    public void Fewer_than_two_members_are_refused()
    {
        Assert.Contains("at least 2 members, not 1", Assert.Single(Of(new CouncilMember("a", "DEV")).Problems(Agents)));
    }

    [Fact]
    public void An_unknown_role_is_refused_naming_the_known_ones()
    {
        var problem = Assert.Single(Of(new("a", "DEV"), new("b", "POET")).Problems(Agents));

        Assert.Contains("'POET'", problem);
        Assert.Contains("known roles: ARCHITECT, DEV, QA, tiny", problem);
    }

    [Fact]
    public void A_model_that_is_not_configured_is_refused()
    {
        var problems = Of(new("a", "DEV", "big"), new("b", "GHOST")).Problems(Agents);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("model 'big', which is not configured"));
        Assert.Contains(problems, p => p.Contains("maps to model 'missing'"));
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var spec = new CouncilSpec([new("a", "POET"), new("a", "DEV")], Rounds: 0, Selector: CouncilSelectorKind.Agent);

        var problems = spec.Problems(Agents);

        Assert.Contains(problems, p => p.Contains("'a' is used 2 times"));
        Assert.Contains(problems, p => p.Contains("'POET'"));
        Assert.Contains(problems, p => p.Contains("rounds must be between 1"));
        Assert.Contains(problems, p => p.Contains("selector-role"));
    }

    [Fact]
    public void A_template_node_with_a_bad_council_is_refused_with_its_location()
    {
        var node = new WorkflowNode("write", "DEV", "write f", [], Source: new SourceLocation("c.conf", 7),
            Council: Of(new CouncilMember("a", "POET")));
        var library = new Dictionary<string, WorkflowTemplate> { ["c"] = new("c", [node], SessionSettingsSpec.Empty, []) };

        var resolution = TemplateResolver.Resolve("c", library, new Dictionary<string, string>(), Agents);

        Assert.False(resolution.IsValid);
        Assert.Equal(2, resolution.Problems.Count);
        Assert.All(resolution.Problems, p => Assert.Equal("invalid-council", p.Code));
        Assert.All(resolution.Problems, p => Assert.StartsWith("c.conf:7: invalid-council: node 'write': council:", p.ToString()));
    }

    [Fact]
    public void Without_a_catalog_roles_are_not_checked_but_the_member_count_is()
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
        Assert.Empty(new CouncilSpec([], Role: "QA").Problems(Agents));
        Assert.True(new CouncilSpec([], Role: "QA").IsReference);
    }
}

/// <summary>Whether the node serves a council's roles is decided when a session starts, with every problem.</summary>
public class CouncilSessionStartSpec
{
    [Fact]
    public void A_session_whose_council_needs_a_role_no_model_serves_is_refused_at_its_start()
    {
        var council = new WorkflowNode("decide", "DEV", "choose", [], Council: new CouncilSpec([new("a", "DEV"), new("b", "POET")]));
        var library = new Dictionary<string, WorkflowTemplate> { ["t"] = new("t", [council], Orchestrator.Core.Workflows.SessionSettingsSpec.Empty, []) };
        var agents = new AgentCatalog(new HashSet<string> { "tiny" }, new Dictionary<string, string> { ["DEV"] = "tiny" });
        var start = new Orchestrator.Messages.Sessions.SessionCommands.StartSession("s1", "t", new Dictionary<string, string>());

        var refused = Orchestrator.Core.Sessions.SessionState.Empty("s1").Decide(start, library, DateTimeOffset.UnixEpoch, agents);
        Assert.Empty(refused.Events);
        Assert.Contains("'POET'", Assert.Single(Assert.IsType<Orchestrator.Messages.Sessions.SessionReplies.SessionRejected>(refused.Reply).Problems));

        var withoutCatalog = Orchestrator.Core.Sessions.SessionState.Empty("s1").Decide(start, library, DateTimeOffset.UnixEpoch);
        Assert.IsType<Orchestrator.Messages.Sessions.SessionReplies.SessionStarted>(withoutCatalog.Reply);
    }
}
