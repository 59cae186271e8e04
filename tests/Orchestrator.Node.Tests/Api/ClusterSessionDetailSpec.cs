using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Persistence;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A session's detail larger than a remoting frame, asked for on the node that hosts the session and on the one
/// that does not: both answer every task. Two whole nodes in the test process, one cluster over one PostgreSQL journal,
/// with remoting's frame at its smallest (32,000 bytes) and a session of 601 tasks whose detail is over three times
/// that; a reply over the frame is dropped by remoting, and the API would answer 500 after its ask timed out.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSessionDetailSpec(PostgresFixture postgres) : IAsyncLifetime
{
    private const int Tasks = 600;
    private readonly string _templates = Directory.CreateTempSubdirectory("orch-detail-").FullName;
    private InProcessNode _first = null!;
    private InProcessNode _second = null!;

    private string Hocon() => $"""
        {postgres.DatabaseFor(GetType()).PostgreSqlHocon}
        orchestrator.sessions.templates-path = {HoconText.Quote(_templates)}
        akka.remote.dot-netty.tcp.maximum-frame-size = 32000b
        """;

    public async Task InitializeAsync()
    {
        var nodes = new StringBuilder("gate { human { ask = \"Go?\", answer = approve, timeout = 24h } }\n");
        for (var i = 0; i < Tasks; i++)
            nodes.AppendLine($"task-{i:000} {{ role = writer, prompt = \"Write part {i}.\", depends-on = [gate] }}");
        await File.WriteAllTextAsync(Path.Combine(_templates, "wide.conf"), $"workflow {{ name = wide, nodes {{ {nodes} }} }}");
        _first = await InProcessNode.StartAsync(Hocon());
        _second = await InProcessNode.JoiningAsync(_first, Hocon());
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        Directory.Delete(_templates, recursive: true);
    }

    [Fact]
    public async Task Both_nodes_answer_every_task_of_a_detail_larger_than_a_remoting_frame()
    {
        const string id = "wide-1";
        var created = await _first.Http.PostAsJsonAsync("/api/sessions", new { template = "wide", id });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        foreach (var node in new[] { _first, _second })
        {
            var response = await node.Http.GetAsync($"/api/sessions/{id}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
            Assert.True(body.Length > 3 * 32_000, $"the detail is {body.Length} characters");
            var tasks = JsonDocument.Parse(body).RootElement.GetProperty("tasks").EnumerateArray()
                .Select(t => t.GetProperty("id").GetString()).ToList();
            Assert.Equal(["gate", .. Enumerable.Range(0, Tasks).Select(i => $"task-{i:000}")], tasks);
        }
    }
}
