using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>An in-process node for the agent, council and lesson API specs: it serves a generated tiny model
/// <c>tiny</c> for the roles DEV, QA and ARCHITECT (the agent registry and council directory refuse other models and
/// roles), and keeps its SQLite journal in <c>node.db</c> of a folder the spec owns, so a second node can start over it.</summary>
internal static class RegistryNode
{
    /// <summary>The roles the node knows.</summary>
    public static readonly string[] Roles = ["DEV", "QA", "ARCHITECT"];

    /// <summary>Starts a node whose model and journal live in <paramref name="dir"/> (the model is written once), with
    /// <paramref name="extraHocon"/> over its settings.</summary>
    public static Task<InProcessNode> StartAsync(string dir, string extraHocon = "")
    {
        var model = Path.Combine(dir, "tiny.gguf");
        if (!File.Exists(model)) TinyModel.Write(model, TinyModelSpec.Tiny);
        return InProcessNode.StartAsync($$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 1024, sequences = 2, threads = 1 }
            orchestrator.sessions.models-by-role { {{string.Join(", ", Roles.Select(r => $"{r} = tiny"))}} }
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(dir, "node.db"))}}
            {{extraHocon}}
            """);
    }

    /// <summary>Asserts that <paramref name="response"/> is a problem of <paramref name="status"/> whose detail holds
    /// every one of <paramref name="parts"/>.</summary>
    public static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, params string[] parts)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        foreach (var part in parts) Assert.Contains(part, detail);
    }

    /// <summary>GETs <paramref name="path"/>, asserting success, as JSON.</summary>
    public static async Task<JsonElement> GetJson(this HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
