using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary>One behaviour for every endpoint: a query parameter of the wrong type or out of range, an over-long id, a
/// malformed body are each a 400 problem naming what was wrong, quoting what the caller sent within bounds, never a
/// 500, a bare 400 or an exception's text.</summary>
public sealed class ApiInputSpec : IAsyncLifetime
{
    private static readonly string LongId = new('a', 5_000); // within Kestrel's 8 KiB request line
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-api-input-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await RegistryNode.StartAsync(_dir);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> Detail(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;

    [Theory]
    [InlineData("/api/sessions?limit=abc", "limit")]
    [InlineData("/api/sessions?limit=-1", "limit")]
    [InlineData("/api/sessions?limit=99999999999", "limit")]
    [InlineData("/api/lessons?limit=abc", "limit")]
    [InlineData("/api/lessons?offset=1.5", "offset")]
    [InlineData("/api/lessons/search?q=x&limit=abc", "limit")]
    [InlineData("/api/actors?depth=deep", "depth")]
    [InlineData("/api/journal/session-x?max=abc", "max")]
    public async Task A_query_parameter_of_the_wrong_type_or_out_of_range_is_a_400_naming_it(string path, string parameter)
    {
        var response = await _node.Http.GetAsync(path);

        await AssertProblem(response, HttpStatusCode.BadRequest, parameter);
    }

    [Theory]
    [InlineData("GET", "/api/sessions/{0}")]
    [InlineData("POST", "/api/sessions/{0}/pause")]
    [InlineData("GET", "/api/agents/{0}")]
    [InlineData("DELETE", "/api/councils/{0}")]
    [InlineData("GET", "/api/models/{0}/stats")]
    [InlineData("DELETE", "/api/lessons/{0}")]
    [InlineData("GET", "/api/templates/{0}")]
    public async Task An_over_long_id_in_a_path_is_quoted_within_bounds(string method, string template)
    {
        var response = await _node.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(template, LongId)));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        var detail = await Detail(response);
        Assert.Contains(LongId[..64] + "…", detail);
        Assert.True(detail.Length < 400, detail);
    }

    [Fact]
    public async Task An_over_long_session_id_or_agent_name_is_refused_with_a_400_quoting_it_within_bounds()
    {
        var session = await _node.Http.PostAsJsonAsync("/api/sessions", new { template = "any", id = LongId });
        await AssertProblem(session, HttpStatusCode.BadRequest, "must be 1 to 64");
        Assert.True((await Detail(session)).Length < 400);

        var agent = await _node.Http.PostAsJsonAsync("/api/agents", new { name = LongId, role = "DEV", model = "tiny" });
        await AssertProblem(agent, HttpStatusCode.BadRequest, "must be 1 to 64");
        Assert.True((await Detail(agent)).Length < 400);

        await AssertProblem(await _node.Http.GetAsync($"/api/sessions/{LongId}"), HttpStatusCode.BadRequest, "must be 1 to 64");
        await AssertProblem(await _node.Http.GetAsync($"/api/agents/{LongId}"), HttpStatusCode.BadRequest, "must be 1 to 64");
        await AssertProblem(await _node.Http.DeleteAsync("/api/agents/bad%20name!"), HttpStatusCode.BadRequest, "gent name 'bad name!'");
    }

    [Theory]
    [InlineData("/api/sessions")]
    [InlineData("/api/agents")]
    [InlineData("/api/councils")]
    public async Task Malformed_JSON_gets_the_same_detailed_400_everywhere(string path)
    {
        var response = await _node.Http.PostAsync(path, new StringContent("{\"name\": tru", Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest, "not valid JSON at line 1, byte", "expected {");
    }
}
