using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

public sealed class SessionApiSpec : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync(
        $"orchestrator.sessions.templates-path = {HoconText.Quote(Path.Combine(RepositoryRoot.Path, "config", "workflows"))}");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailPart, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private static object Review(string? id = null) =>
        new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Once upon a time." } };

    [Fact]
    public async Task Templates_are_listed()
    {
        var templates = await _node.Http.GetFromJsonAsync<JsonElement>("/api/templates");

        var names = templates.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("manuscript-review", names);
        Assert.Contains("docs-generation", names);
    }

    [Fact]
    public async Task A_session_is_started_inspected_and_cancelled()
    {
        var created = await _node.Http.PostAsJsonAsync("/api/sessions", Review("api-1"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/sessions/api-1", created.Headers.Location?.ToString());

        var status = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions/api-1");
        Assert.Equal("manuscript-review", status.GetProperty("template").GetString());
        Assert.Equal(7, status.GetProperty("totalTasks").GetInt32());

        var cancel = await _node.Http.PostAsJsonAsync("/api/sessions/api-1/cancel", new { reason = "spec" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lifecycle").GetString());

        // The cancelled session passivated; asking again recovers it from the journal.
        var after = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions/api-1");
        Assert.Equal("cancelled", after.GetProperty("lifecycle").GetString());
        await AssertProblem(await _node.Http.PostAsync("/api/sessions/api-1/pause", null), HttpStatusCode.Conflict, "cancelled");
    }

    [Fact]
    public async Task Bad_starts_are_refused_with_every_problem_and_nothing_created()
    {
        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions",
            new { template = "manuscript-review", id = "api-2", inputs = new Dictionary<string, string>() }), HttpStatusCode.BadRequest, "MANUSCRIPT");
        await AssertProblem(await _node.Http.GetAsync("/api/sessions/api-2"), HttpStatusCode.NotFound, "api-2");

        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions", new { template = "no-such-template", id = "api-3" }),
            HttpStatusCode.BadRequest, "no-such-template");
        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions", Review("not valid!")), HttpStatusCode.BadRequest, "session id");
        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions", new { inputs = new { } }), HttpStatusCode.BadRequest, "template");

        var malformed = await _node.Http.PostAsync("/api/sessions", new StringContent("{\"template\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Starting_an_existing_session_again_is_idempotent_and_with_other_inputs_or_template_a_conflict_naming_them()
    {
        Assert.Equal(HttpStatusCode.Created, (await _node.Http.PostAsJsonAsync("/api/sessions", Review("api-4"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _node.Http.PostAsJsonAsync("/api/sessions", Review("api-4"))).StatusCode);

        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions", new
        {
            template = "manuscript-review",
            id = "api-4",
            inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Another story.", ["GENRE"] = "noir" },
        }), HttpStatusCode.Conflict, "GENRE, MANUSCRIPT");
        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions", new
        {
            template = "docs-generation",
            id = "api-4",
            inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Once upon a time." },
        }), HttpStatusCode.Conflict, "template 'manuscript-review', not 'docs-generation'");

        var detail = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions/api-4");
        Assert.Equal("Once upon a time.", detail.GetProperty("inputs").GetProperty("MANUSCRIPT").GetString());
        Assert.False(detail.GetProperty("inputs").TryGetProperty("GENRE", out _));
    }

    [Fact]
    public async Task Inputs_the_template_does_not_take_are_refused_naming_them_and_nothing_is_created()
    {
        await AssertProblem(await _node.Http.PostAsJsonAsync("/api/sessions", new
        {
            template = "manuscript-review",
            id = "api-5",
            inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "Once upon a time.", ["MANUSCRIT"] = "typo", ["TONE"] = "dry" },
        }), HttpStatusCode.BadRequest, "unknown inputs MANUSCRIT, TONE");
        await AssertProblem(await _node.Http.GetAsync("/api/sessions/api-5"), HttpStatusCode.NotFound, "api-5");
    }

    [Fact]
    public async Task Malformed_or_ill_fitting_bodies_are_400s_naming_the_field()
    {
        await AssertProblem(await PostJson("/api/sessions", "{\"template\": "), HttpStatusCode.BadRequest, "not valid JSON at line 1");
        await AssertProblem(await PostJson("/api/sessions", "{\"template\": 5}"), HttpStatusCode.BadRequest, "'template' must be a string");
        await AssertProblem(await PostJson("/api/sessions", "{\"template\": \"manuscript-review\", \"inputs\": {\"MANUSCRIPT\": null}}"),
            HttpStatusCode.BadRequest, "'inputs.MANUSCRIPT' must not be null");
        await AssertProblem(await PostJson("/api/sessions", "{\"template\": \"manuscript-review\", \"input\": {\"MANUSCRIPT\": \"x\"}}"),
            HttpStatusCode.BadRequest, "unknown field 'input'");
        await AssertProblem(await PostJson("/api/sessions", "[]"), HttpStatusCode.BadRequest, "must be a JSON object");
        await AssertProblem(await PostJson("/api/sessions/nobody/cancel", "[1,"), HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task A_refused_start_shows_no_server_path()
    {
        var response = await _node.Http.PostAsJsonAsync("/api/sessions",
            new { template = "manuscript-review", id = "api-6", inputs = new Dictionary<string, string>() });

        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MANUSCRIPT", detail);
        Assert.DoesNotContain(RepositoryRoot.Path, detail);
        Assert.DoesNotContain("/config/workflows", detail);
    }

    private Task<HttpResponseMessage> PostJson(string path, string json) =>
        _node.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Unknown_sessions_are_not_found()
    {
        await AssertProblem(await _node.Http.GetAsync("/api/sessions/nobody"), HttpStatusCode.NotFound, "nobody");
        await AssertProblem(await _node.Http.PostAsync("/api/sessions/nobody/resume", null), HttpStatusCode.NotFound, "nobody");
    }
}
