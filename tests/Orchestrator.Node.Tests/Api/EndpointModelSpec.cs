using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>Models anywhere: a node whose agents run on a model served by an OpenAI-compatible endpoint elsewhere,
/// here another node's <c>/v1</c> behind its token, read from an environment variable. Sessions run on it as on a
/// local pool, a JSON schema included; an endpoint that is down or answers garbage fails the task with why.</summary>
public sealed class EndpointModelSpec : IAsyncLifetime
{
    private const string Token = "serving-node-token";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-endpoint-").FullName;
    private readonly string _keyVariable = $"ORCH_TEST_ENDPOINT_KEY_{Guid.NewGuid():N}";
    private InProcessNode _serving = null!;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        _serving = await InProcessNode.StartAsync($$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 4096, sequences = 4, threads = 1 }
            """, token: Token);
        Environment.SetEnvironmentVariable(_keyVariable, Token);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "remote.conf"), """"
            workflow {
              name = remote
              settings { retry-base-delay = 100ms, retry-max-delay = 200ms }
              nodes {
                draft { role = writer, prompt = "Say hello." }
                verdict { role = writer, prompt = "Judge it.", depends-on = [draft],
                          output-schema = """{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}""" }
              }
            }
            """");
    }

    public async Task DisposeAsync()
    {
        await _serving.DisposeAsync();
        Environment.SetEnvironmentVariable(_keyVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A node with no model of its own whose role <c>writer</c> runs on the endpoint model <c>remote</c> at
    /// <paramref name="url"/>.</summary>
    private Task<InProcessNode> Client(string url) => InProcessNode.StartAsync($$"""
        orchestrator.llm.endpoints.remote { url = {{HoconText.Quote(url)}}, model = tiny, api-key-env = {{_keyVariable}}, max-concurrent = 2 }
        orchestrator.sessions.templates-path = {{HoconText.Quote(Path.Combine(_dir, "workflows"))}}
        orchestrator.sessions.models-by-role { writer = remote }
        orchestrator.sessions.max-tokens = 48
        """);

    private static async Task<JsonElement> Finished(InProcessNode node, string id)
    {
        var created = await node.Http.PostAsJsonAsync("/api/sessions", new { template = "remote", id, inputs = new Dictionary<string, string>() });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        JsonElement detail = default;
        await Eventually.HoldsAsync(async () =>
        {
            detail = await node.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
            return detail.GetProperty("lifecycle").GetString() is "completed" or "failed";
        }, Patience, () => $"session {id} to finish: {detail}");
        return detail;
    }

    private static Dictionary<string, JsonElement> Tasks(JsonElement detail) =>
        detail.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);

    [Fact]
    public async Task A_session_runs_its_agents_on_another_node_s_endpoint_a_JSON_schema_included()
    {
        await using var client = await Client(new Uri(_serving.Http.BaseAddress!, "/v1").ToString());

        var listed = (await client.Http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("models").EnumerateArray().Single();
        Assert.Equal("remote", listed.GetProperty("name").GetString());
        Assert.Equal("endpoint", listed.GetProperty("nativeVariant").GetString());

        var detail = await Finished(client, "remote-1");

        Assert.True(detail.GetProperty("lifecycle").GetString() == "completed", detail.ToString());
        var tasks = Tasks(detail);
        Assert.Equal("succeeded", tasks["draft"].GetProperty("state").GetString());
        Assert.Equal("succeeded", tasks["verdict"].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(tasks["verdict"].GetProperty("output").GetString()!).RootElement.ValueKind);
        var served = await _serving.Http.GetFromJsonAsync<JsonElement>("/api/models/tiny/stats");
        Assert.True(served.GetProperty("requestsServed").GetInt64() >= 2, served.ToString()); // generated there, not here
        var relayed = await client.Http.GetFromJsonAsync<JsonElement>("/api/models/remote/stats");
        Assert.True(relayed.GetProperty("requestsServed").GetInt64() >= 2, relayed.ToString());
    }

    [Fact]
    public async Task An_endpoint_that_is_down_fails_the_task_with_the_reason()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        await using var client = await Client($"http://127.0.0.1:{port}/v1");

        var detail = await Finished(client, "down-1");

        Assert.Equal("failed", Tasks(detail)["draft"].GetProperty("state").GetString());
        var error = Tasks(detail)["draft"].GetProperty("lastError").GetString()!;
        Assert.True(error.Contains("not reachable"), error);
        Assert.Contains($"127.0.0.1:{port}", error);
    }

    [Fact]
    public async Task An_endpoint_that_answers_garbage_fails_the_task_with_the_reason_and_the_node_serves_on()
    {
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        using var stop = new CancellationTokenSource();
        var serving = ServeGarbageAsync(garbage, stop.Token);
        await using var client = await Client($"http://127.0.0.1:{((IPEndPoint)garbage.LocalEndpoint).Port}/v1");

        var detail = await Finished(client, "garbage-1");

        Assert.Equal("failed", Tasks(detail)["draft"].GetProperty("state").GetString());
        Assert.Contains("not a chat completion", Tasks(detail)["draft"].GetProperty("lastError").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/health/ready")).StatusCode);
        await stop.CancelAsync();
        await serving;
    }

    /// <summary>Answers every request with a 200 whose body is not JSON.</summary>
    private static async Task ServeGarbageAsync(TcpListener listener, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var socket = await listener.AcceptTcpClientAsync(ct);
                var stream = socket.GetStream();
                var buffer = new byte[64 * 1024];
                _ = await stream.ReadAsync(buffer, ct); // the request (whatever it is, or its start)
                var body = "this is not a chat completion"u8.ToArray();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), ct);
                await stream.WriteAsync(body, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
