using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;

namespace Orchestrator.Node.Tests.Api;

public sealed class ManagementApiSpec : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonElement> GetJson(string path)
    {
        var response = await _node.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Cluster_of_one_shows_itself_up_and_leading()
    {
        var cluster = await GetJson("/api/cluster");

        var member = Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("isSelf").GetBoolean());
        Assert.True(member.GetProperty("isLeader").GetBoolean());
        Assert.Equal(cluster.GetProperty("self").GetString(), member.GetProperty("address").GetString());
    }

    [Fact]
    public async Task Actor_hierarchy_lists_the_management_actor_to_the_asked_depth()
    {
        var hierarchy = await GetJson("/api/actors?depth=2");

        var user = hierarchy.GetProperty("roots").EnumerateArray().First(r => r.GetProperty("path").GetString() == "/user");
        var children = user.GetProperty("children").EnumerateArray().ToList();
        var management = children.Single(c => c.GetProperty("path").GetString() == "/user/management");
        Assert.Equal("ManagementActor", management.GetProperty("type").GetString());
        Assert.Equal(0, management.GetProperty("children").GetArrayLength());

        await AssertProblem(await _node.Http.GetAsync("/api/actors?depth=0"), HttpStatusCode.BadRequest, "depth");
    }

    [Fact]
    public async Task Journal_of_a_persistence_id_shows_its_events_in_order()
    {
        var system = _node.Services.GetRequiredService<ActorSystem>();
        var probe = system.ActorOf(JournalProbe.Props("api-journal"));
        await probe.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), TimeSpan.FromSeconds(10));
        var acks = new List<Task<ProbeCommands.Written>>();
        for (var i = 1; i <= 3; i++)
            acks.Add(probe.Ask<ProbeCommands.Written>(new ProbeCommands.Write(i, 1, Tagged: false, Payload: $"p{i}"), TimeSpan.FromSeconds(10)));
        await Task.WhenAll(acks);

        var journal = await GetJson("/api/journal/api-journal?from=2&max=5");

        var events = journal.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([2L, 3L], events.Select(e => e.GetProperty("sequenceNr").GetInt64()));
        Assert.All(events, e => Assert.Equal("probe-written.v1", e.GetProperty("manifest").GetString()));
        Assert.Equal("p3", events[1].GetProperty("event").GetProperty("payload").GetString());
    }

    [Fact]
    public async Task Journal_refuses_invalid_persistence_ids_and_ranges()
    {
        await AssertProblem(await _node.Http.GetAsync("/api/journal/has%20space"), HttpStatusCode.BadRequest, "persistenceId");
        await AssertProblem(await _node.Http.GetAsync("/api/journal/x?max=0"), HttpStatusCode.BadRequest, "max");
    }

    [Fact]
    public async Task Config_shows_the_resolved_section_and_names_missing_ones()
    {
        var config = await GetJson("/api/config");
        Assert.Equal("sqlite", config.GetProperty("persistence").GetProperty("provider").GetString());
        var telemetry = await GetJson("/api/config?section=orchestrator.telemetry"); // what `orch config show orchestrator.telemetry` prints
        Assert.Equal(("", "off", "orchestrator"), (telemetry.GetProperty("otlp-endpoint").GetString(), telemetry.GetProperty("console").GetString(),
            telemetry.GetProperty("service-name").GetString()));

        var cluster = await GetJson("/api/config?section=akka.cluster.split-brain-resolver");
        Assert.Equal("keep-majority", cluster.GetProperty("active-strategy").GetString());

        await AssertProblem(await _node.Http.GetAsync("/api/config?section=no.such.section"), HttpStatusCode.NotFound, "no.such.section");
    }

    [Fact]
    public async Task Unknown_routes_are_problems()
    {
        var response = await _node.Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_endpoints()
    {
        var document = await GetJson("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/cluster", paths);
        Assert.Contains("/api/journal/{persistenceId}", paths);
        Assert.Contains("/api/events", paths);
    }

    [Fact]
    public async Task OpenApi_document_describes_typed_replies_with_snake_case_enums()
    {
        var document = await GetJson("/openapi/v1.json");

        string Reply(string path, string method, string status, string media = "application/json") =>
            document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status)
                .GetProperty("content").GetProperty(media).GetProperty("schema").GetProperty("$ref").GetString()!;
        Assert.Equal("#/components/schemas/SessionDetailDto", Reply("/api/sessions/{id}", "get", "200"));
        Assert.Equal("#/components/schemas/AgentProfileDto", Reply("/api/agents", "post", "201"));
        Assert.Equal("#/components/schemas/ClusterStateDto", Reply("/api/cluster", "get", "200"));
        Assert.Equal("#/components/schemas/SessionEventDto", Reply("/api/sessions/{id}/events", "get", "200", "text/event-stream"));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Contains("retry_waiting", schemas.GetProperty("TaskStateDto").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("all_approve", schemas.GetProperty("CouncilConsensusDto").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
