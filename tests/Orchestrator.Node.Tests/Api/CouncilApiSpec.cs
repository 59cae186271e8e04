using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>/api/councils</c> on a node serving the roles DEV, QA and ARCHITECT: a council is created for a role,
/// listed, shown and deleted; refusals (too few members, a role or a model nothing serves, a role taken, a bad
/// selector, malformed JSON) are problems naming every reason, and change nothing. A role is served by its default model
/// or by a registered agent of it, as a session's start holds it (<see cref="CouncilAgentRolesSpec"/>).</summary>
public sealed class CouncilApiSpec : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-councils-api-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await RegistryNode.StartAsync(_dir);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<HttpResponseMessage> Create(object body) => _node.Http.PostAsJsonAsync("/api/councils", body);

    private async Task<int> Count() => (await _node.Http.GetJson("/api/councils")).GetProperty("councils").GetArrayLength();

    [Fact]
    public async Task A_council_is_created_for_a_role_listed_shown_and_deleted()
    {
        var created = await Create(new
        {
            role = "DEV",
            members = new object[] { new { role = "DEV" }, new { role = "DEV" }, new { name = "checker", role = "QA", model = "tiny" } },
            rounds = 2,
            selector = "agent",
            selectorRole = "ARCHITECT",
            consensus = "same-answer",
            memberTimeoutSeconds = 30,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/councils/DEV", created.Headers.Location?.OriginalString);

        var council = Assert.Single((await _node.Http.GetJson("/api/councils")).GetProperty("councils").EnumerateArray());
        Assert.Equal("DEV", council.GetProperty("role").GetString());
        Assert.Equal(["dev-1", "dev-2", "checker"],
            council.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("tiny", council.GetProperty("members")[2].GetProperty("model").GetString());
        Assert.Equal(2, council.GetProperty("rounds").GetInt32());
        Assert.Equal("agent", council.GetProperty("selector").GetString());
        Assert.Equal("ARCHITECT", council.GetProperty("selectorRole").GetString());
        Assert.Equal("same_answer", council.GetProperty("consensus").GetString());
        Assert.Equal(30, council.GetProperty("memberTimeoutSeconds").GetDouble());

        Assert.Equal(2, (await _node.Http.GetJson("/api/councils/DEV")).GetProperty("rounds").GetInt32());

        var deleted = await _node.Http.DeleteAsync("/api/councils/DEV");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(0, await Count());
        await AssertProblem(await _node.Http.GetAsync("/api/councils/DEV"), HttpStatusCode.NotFound, "'DEV'");
    }

    [Fact]
    public async Task A_council_with_one_member_or_unknown_roles_or_models_is_refused_with_every_reason()
    {
        await AssertProblem(await Create(new { role = "DEV", members = new[] { new { role = "DEV" } } }), HttpStatusCode.BadRequest,
            "at least 2 members, not 1");
        await AssertProblem(await Create(new { role = "DEV" }), HttpStatusCode.BadRequest, "at least 2 members, not 0");
        await AssertProblem(await Create(new
        {
            role = "DEV",
            members = new object[] { new { role = "PAINTER" }, new { role = "DEV", model = "gpt-9" } },
            rounds = 11,
        }),
            HttpStatusCode.BadRequest, "o model serves role 'PAINTER'", "odel 'gpt-9' is served by no reachable node (configured here: tiny",
            "ounds must be between 1 and 10");
        await AssertProblem(await Create(new { role = "DEV", members = new[] { new { role = "DEV" }, new { role = "QA" } }, selector = "vote" }),
            HttpStatusCode.BadRequest, "elector 'vote' is not one of rubric, agent");
        await AssertProblem(await Create(new { role = "DEV", members = new[] { new { role = "DEV" }, new { role = "QA" } }, selector = "agent" }),
            HttpStatusCode.BadRequest, "selector-role");
        await AssertProblem(await Create(new { members = new[] { new { role = "DEV" }, new { role = "QA" } } }), HttpStatusCode.BadRequest,
            "role");
        await AssertProblem(await _node.Http.PostAsync("/api/councils", new StringContent("{\"role\": \"DEV\", \"members\": [", Encoding.UTF8,
            "application/json")), HttpStatusCode.BadRequest, "not valid JSON");
        Assert.Equal(0, await Count());
    }

    [Fact]
    public async Task Null_members_and_bad_member_names_are_400s_naming_them()
    {
        await AssertProblem(await _node.Http.PostAsync("/api/councils", new StringContent(
                "{\"role\": \"DEV\", \"members\": [null, {\"role\": \"QA\"}]}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "'members[0]' must not be null");
        await AssertProblem(await Create(new { role = "DEV", members = new[] { new { name = "dev a!", role = "DEV" }, new { name = "qa", role = "QA" } } }),
            HttpStatusCode.BadRequest, "ember name 'dev a!' must be 1 to 64 letters");
        Assert.Equal(0, await Count());
    }

    [Fact]
    public async Task A_role_that_has_a_council_is_a_conflict_and_an_unknown_one_is_404()
    {
        var first = await Create(new { role = "QA", members = new[] { new { role = "QA" }, new { role = "DEV" } } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        await AssertProblem(await Create(new { role = "QA", members = new[] { new { role = "DEV" }, new { role = "ARCHITECT" } }, rounds = 3 }),
            HttpStatusCode.Conflict, "'QA' has a council already");
        Assert.Equal(1, (await _node.Http.GetJson("/api/councils/QA")).GetProperty("rounds").GetInt32());

        await AssertProblem(await _node.Http.DeleteAsync("/api/councils/NOBODY"), HttpStatusCode.NotFound, "'NOBODY'");
        Assert.Equal(1, await Count());
    }
}
