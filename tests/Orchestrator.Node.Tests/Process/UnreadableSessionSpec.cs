using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A session whose stored events can no longer be read (one event's manifest is one this version does not
/// know, as a newer version's or a damaged row's would be): after a restart, <c>GET /api/sessions/{id}</c> answers at
/// once, 409 with the reason naming the session's events and the manifest, instead of waiting 30 s while the session
/// fails its recovery again and again; the node stays ready.</summary>
public sealed class UnreadableSessionSpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-unreadable-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_session_whose_events_cannot_be_read_is_answered_at_once_with_the_reason()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "hello.conf"), """
            workflow {
              name = hello
              nodes { hello { role = writer, prompt = "Say hello." } }
            }
            """);
        var database = Path.Combine(_dir, "node.db");
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 2048, sequences = 1, threads = 1 }
            orchestrator.sessions.templates-path = {{HoconText.Quote(workflows)}}
            orchestrator.sessions.models-by-role { writer = tiny }
            orchestrator.sessions.max-tokens = 32
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(database)}}
            """);
        var env = new Dictionary<string, string> { ["ORCH_API_PORT"] = FreePort.Next().ToString() };

        await using (var first = NodeProcess.Start(_dir, env, "--config", config))
        {
            await first.WaitUntilReadyAsync(Deadline);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.ApiPort}") };
            var created = await http.PostAsJsonAsync("/api/sessions", new { template = "hello", id = "bad-1", inputs = new Dictionary<string, string>() });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            await Eventually.HoldsAsync(async () =>
                (await http.GetFromJsonAsync<JsonElement>("/api/sessions/bad-1")).GetProperty("lifecycle").GetString() == "completed", Deadline,
                () => first.Transcript);
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(Deadline));
        }

        using (var db = new SqliteConnection($"Data Source={database}"))
        {
            db.Open();
            using var tamper = db.CreateCommand();
            tamper.CommandText = "UPDATE journal SET manifest = 'task-succeeded-by-a-newer-version.v9' " +
                                 "WHERE persistence_id = 'session-bad-1' AND manifest = 'task-succeeded.v1'";
            Assert.Equal(1, tamper.ExecuteNonQuery());
        }

        await using var second = NodeProcess.Start(_dir, env, "--config", config);
        await second.WaitUntilReadyAsync(Deadline);
        // Well under the API's 30 s ask: an answer that waited for it fails here.
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.ApiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        foreach (var attempt in new[] { "the query that wakes it", "the next query" })
        {
            using var reply = await client.GetAsync("/api/sessions/bad-1");
            var body = await reply.Content.ReadAsStringAsync();
            Assert.True(reply.StatusCode == HttpStatusCode.Conflict, $"{attempt}: {(int)reply.StatusCode} {body}\n{second.Transcript}");
            Assert.Contains("cannot be recovered from the journal", body);
            Assert.Contains("session-bad-1", body);
            Assert.Contains("task-succeeded-by-a-newer-version.v9", body);
        }
        Assert.True((await client.GetAsync("/health/ready")).IsSuccessStatusCode, second.Transcript);

        // Its journal read over the API: a problem saying what cannot be read and where, not a bare 500.
        using var journal = await client.GetAsync("/api/journal/session-bad-1");
        var problem = await journal.Content.ReadAsStringAsync();
        Assert.True(journal.StatusCode == HttpStatusCode.InternalServerError, $"{(int)journal.StatusCode} {problem}");
        Assert.Equal("application/problem+json", journal.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The events of 'session-bad-1' cannot be read after sequence number", problem);
        Assert.DoesNotContain("Exception", problem);
    }
}
