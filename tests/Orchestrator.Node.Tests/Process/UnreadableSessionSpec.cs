using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A session whose stored events can no longer be read (one event's manifest is one this version does not
/// know, as a newer version's would be; or a page of the database file in the middle of its events damaged on disk):
/// after a restart, <c>GET /api/sessions/{id}</c> answers at once, 409 with the reason naming the session's events and
/// what failed, instead of waiting 30 s while the session fails its recovery again and again; the node stays up, and
/// the journal endpoint answers a problem that says what cannot be read and where.</summary>
public sealed class UnreadableSessionSpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-unreadable-").FullName;
    private readonly Dictionary<string, string> _env = new() { ["ORCH_API_PORT"] = FreePort.Next().ToString() };
    private string Database => Path.Combine(_dir, "node.db");
    private string Config => Path.Combine(_dir, "node.conf");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_session_with_an_event_of_an_unknown_manifest_is_answered_at_once_with_the_reason()
    {
        await CompleteASessionAsync("bad-1");
        using (var db = Open())
        {
            using var tamper = db.CreateCommand();
            tamper.CommandText = "UPDATE journal SET manifest = 'task-succeeded-by-a-newer-version.v9' " +
                                 "WHERE persistence_id = 'session-bad-1' AND manifest = 'task-succeeded.v1'";
            Assert.Equal(1, tamper.ExecuteNonQuery());
        }

        await using var second = NodeProcess.Start(_dir, _env, "--config", Config);
        await second.WaitUntilReadyAsync(Deadline);
        using var client = ClientOf(second);
        await AssertAnsweredAtOnceAsync(client, second, "bad-1", "task-succeeded-by-a-newer-version.v9");
        Assert.True((await client.GetAsync("/health/ready")).IsSuccessStatusCode, second.Transcript);

        // Its journal read over the API: a problem saying what cannot be read and where, not a bare 500.
        using var journal = await client.GetAsync("/api/journal/session-bad-1");
        var problem = await journal.Content.ReadAsStringAsync();
        Assert.True(journal.StatusCode == HttpStatusCode.InternalServerError, $"{(int)journal.StatusCode} {problem}");
        Assert.Equal("application/problem+json", journal.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The events of 'session-bad-1' cannot be read after sequence number", problem);
        Assert.DoesNotContain("Exception", problem);
    }

    [Fact]
    public async Task A_page_damaged_mid_file_stops_the_start_naming_the_file_or_turns_readiness_off_with_the_reason()
    {
        await CompleteASessionAsync("bad-2");
        DamageThePageHolding(Encoding.UTF8.GetBytes("task-succeeded.v1"));

        // At start, every page is read: the node refuses the file with what to do, exit code 2, no stack trace.
        await using (var refused = NodeProcess.Start(_dir, _env, "--config", Config))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(Deadline));
            Assert.Contains($"SQLite database '{Database}' is damaged", refused.Transcript);
            Assert.Contains(".recover", refused.Transcript);
            Assert.Contains("check-at-start = off", refused.Transcript);
            Assert.DoesNotContain("   at ", refused.Transcript);
        }

        // Started on it anyway: the first read that meets the damage turns readiness off, for good, naming the file.
        await File.AppendAllTextAsync(Config, "\norchestrator.persistence.sqlite.check-at-start = off\n");
        await using var second = NodeProcess.Start(_dir, _env, "--config", Config);
        await ReadinessProbe.WaitForAsync(second.ApiPort, HttpStatusCode.ServiceUnavailable,
            detail => detail.Contains($"SQLite database '{Database}' is damaged") && detail.Contains("malformed") && detail.Contains(".recover"),
            Deadline, () => second.Transcript);
        using var client = ClientOf(second);
        Assert.True((await client.GetAsync("/health/live")).IsSuccessStatusCode, second.Transcript);
    }

    /// <summary>Runs a one-task session to its end on a node of its own, which then stops cleanly.</summary>
    private async Task CompleteASessionAsync(string id)
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
        await File.WriteAllTextAsync(Config, $$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 2048, sequences = 1, threads = 1 }
            orchestrator.sessions.templates-path = {{HoconText.Quote(workflows)}}
            orchestrator.sessions.models-by-role { writer = tiny }
            orchestrator.sessions.max-tokens = 32
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Database)}}
            """);

        await using var first = NodeProcess.Start(_dir, _env, "--config", Config);
        await first.WaitUntilReadyAsync(Deadline);
        using var http = ClientOf(first);
        var created = await http.PostAsJsonAsync("/api/sessions", new { template = "hello", id, inputs = new Dictionary<string, string>() });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(async () =>
            (await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("lifecycle").GetString() == "completed", Deadline,
            () => first.Transcript);
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(Deadline));
    }

    /// <summary>Overwrites the b-tree header of the one page of the database file that holds <paramref name="marker"/>
    /// (after folding the write-ahead log into the file), as a bad sector or a torn write would: the file's header and
    /// every other page stay intact, so the node starts and only reads that touch that page fail.</summary>
    private void DamageThePageHolding(byte[] marker)
    {
        using (var db = Open())
        {
            using var checkpoint = db.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(Database);
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(16, 2)) is var size && size == 1 ? 65536 : size;
        var at = bytes.AsSpan(pageSize).IndexOf(marker);
        Assert.True(at >= 0, "no page past the first holds the marker");
        var page = (pageSize + at) / pageSize * pageSize;
        bytes.AsSpan(page, 12).Fill(0xEE);
        File.WriteAllBytes(Database, bytes);
    }

    private static async Task AssertAnsweredAtOnceAsync(HttpClient client, NodeProcess node, string id, string reason)
    {
        foreach (var attempt in new[] { "the query that wakes it", "the next query" })
        {
            using var reply = await AnswerOrTranscriptAsync(client.GetAsync($"/api/sessions/{id}"), node, attempt);
            var body = await reply.Content.ReadAsStringAsync();
            Assert.True(reply.StatusCode == HttpStatusCode.Conflict, $"{attempt}: {(int)reply.StatusCode} {body}\n{node.Transcript}");
            Assert.Contains("cannot be recovered from the journal", body);
            Assert.Contains($"session-{id}", body);
            Assert.Contains(reason, body);
        }
    }

    private static async Task<HttpResponseMessage> AnswerOrTranscriptAsync(Task<HttpResponseMessage> request, NodeProcess node, string what)
    {
        try
        {
            return await request;
        }
        catch (TaskCanceledException)
        {
            Assert.Fail($"{what}: no answer within the client's timeout\n{node.Transcript}");
            throw;
        }
    }

    /// <summary>A client of <paramref name="node"/>'s API that gives up well under the API's 30 s ask: an answer that
    /// waited for it fails the test.</summary>
    private static HttpClient ClientOf(NodeProcess node) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}"), Timeout = TimeSpan.FromSeconds(10) };

    private SqliteConnection Open()
    {
        var db = new SqliteConnection($"Data Source={Database}");
        db.Open();
        return db;
    }
}
