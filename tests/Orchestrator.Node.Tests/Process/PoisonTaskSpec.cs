using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A node whose models run in its own process (<c>orchestrator.llm.hosting = in-process</c>) dies on one
/// task's generation: the model of that task's role aborts llama.cpp on the task's output schema. Started again (as systemd would), it recovers the
/// session and dispatches the task again, and dies again; started a third time it gives the task up with the reason and
/// finishes the session without it, instead of crash-looping.</summary>
public sealed class PoisonTaskSpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-poison-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_node_that_dies_on_one_task_comes_back_and_finishes_the_session_without_it()
    {
        var tiny = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(tiny, TinyModelSpec.Tiny);
        var nan = Path.Combine(_dir, "nan.gguf");
        NaNModel.Write(nan);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "poison.conf"), """"
            workflow {
              name = poison
              nodes {
                boom { role = bomber, prompt = "Say hello.", output-schema = """{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""" }
                fine { role = writer, prompt = "Say hello." }
                after { role = writer, prompt = "Say goodbye.", depends-on = [boom] }
              }
            }
            """");
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            orchestrator.llm.hosting = in-process
            orchestrator.llm.probe.cache-path = {{HoconText.Quote(Path.Combine(_dir, "probes"))}}
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(tiny)}}, context-size = 4096, sequences = 2, threads = 1 }
            orchestrator.llm.models.nan { path = {{HoconText.Quote(nan)}}, context-size = 4096, sequences = 2, threads = 1 }
            orchestrator.sessions.templates-path = {{HoconText.Quote(workflows)}}
            orchestrator.sessions.models-by-role { bomber = nan, writer = tiny }
            orchestrator.sessions.max-tokens = 64
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(_dir, "node.db"))}}
            """);
        var env = new Dictionary<string, string> { ["ORCH_API_PORT"] = FreePort.Next().ToString() };

        await using (var first = NodeProcess.Start(_dir, env, "--config", config))
        {
            await first.WaitUntilReadyAsync(Deadline);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.ApiPort}") };
            var created = await http.PostAsJsonAsync("/api/sessions", new { template = "poison", id = "poison-1", inputs = new Dictionary<string, string>() });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Assert.NotEqual(0, await first.WaitForExitAsync(Deadline)); // llama.cpp aborted the node
        }
        await using (var second = NodeProcess.Start(_dir, env, "--config", config))
        {
            // Remember-entities starts the session again at once: it dispatches the task again, and the node dies again.
            Assert.NotEqual(0, await second.WaitForExitAsync(Deadline));
        }

        await using var third = NodeProcess.Start(_dir, env, "--config", config);
        await third.WaitUntilReadyAsync(Deadline);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{third.ApiPort}") };
        JsonElement session = default;
        await Eventually.HoldsAsync(async () =>
        {
            session = await client.GetFromJsonAsync<JsonElement>("/api/sessions/poison-1");
            return session.GetProperty("lifecycle").GetString() is "completed" or "failed";
        }, Deadline, () => $"{session}\n{third.Transcript}");

        var tasks = session.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
        Assert.Equal("failed", tasks["boom"].GetProperty("state").GetString());
        Assert.Contains("in flight when the node stopped", tasks["boom"].GetProperty("lastError").GetString());
        Assert.Equal(3, tasks["boom"].GetProperty("attempt").GetInt32()); // two dispatched, the third refused
        Assert.Equal("succeeded", tasks["fine"].GetProperty("state").GetString());
        Assert.Equal("skipped", tasks["after"].GetProperty("state").GetString());
        Assert.True((await client.GetAsync("/health/ready")).IsSuccessStatusCode, third.Transcript);
    }
}
