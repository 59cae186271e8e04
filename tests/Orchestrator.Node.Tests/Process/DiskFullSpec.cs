using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A node whose SQLite journal lives on a small tmpfs: the disk is filled while its sessions dispatch, and freed
/// again. While it is full the journal's writes fail (sessions stop and start again, as on any failed write) and
/// <c>/health/ready</c> answers 503 naming the database; once it has room, readiness is 200 again, every session
/// completes, each task succeeding once, and a session started after completes too: no failed write leaked the node's
/// dispatch slots (fewer than the writes that failed).</summary>
public sealed class DiskFullSpec : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(30);
    private const int Sessions = 3;
    private const int TasksPerSession = 6;
    private const int Slots = 2;
    private const int FailuresWhileFull = 2 * Slots + 1;
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-disk-full-").FullName;
    private SmallDisk _disk = null!;

    public async Task InitializeAsync() => _disk = await SmallDisk.MountAsync(Path.Combine(_dir, "data"), megabytes: 16);

    public async Task DisposeAsync()
    {
        await _disk.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_disk_that_fills_during_dispatch_writes_and_is_freed_leaves_every_session_completing_new_ones_too()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "many.conf"), $$"""
            workflow {
              name = many
              settings { max-concurrent-tasks = 2, dispatch-spacing = 300ms, retry-base-delay = 100ms, retry-max-delay = 1s }
              nodes {
                {{string.Join("\n    ", Enumerable.Range(1, TasksPerSession).Select(i => $"t{i} {{ role = writer, prompt = \"Say hello {i}.\", retries = 5 }}"))}}
              }
            }
            """);
        var database = Path.Combine(_disk.Path, "node.db");
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 2048, sequences = 2, threads = 1 }
            orchestrator.sessions.templates-path = {{HoconText.Quote(workflows)}}
            orchestrator.sessions.models-by-role { writer = tiny }
            orchestrator.sessions.max-tokens = 48
            orchestrator.sessions.max-tasks-in-flight = {{Slots}}
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(database)}}
            """);
        var env = new Dictionary<string, string> { ["ORCH_JOURNAL_PROBE_INTERVAL"] = "500ms" };

        await using var node = NodeProcess.Start(_dir, env, "--config", config);
        await node.WaitUntilReadyAsync(Deadline);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}") };
        var ids = Enumerable.Range(1, Sessions).Select(i => $"full-{i}").ToList();
        foreach (var id in ids)
        {
            var created = await http.PostAsJsonAsync("/api/sessions", new { template = "many", id, inputs = new Dictionary<string, string>() });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        // The disk fills while the sessions dispatch: once the first has dispatched (six tasks, two at a time, 300 ms
        // apart: none is near its end). Had all finished, no session write would fail below, and the spec would say so.
        await Eventually.HoldsAsync(async () => (await Journal(http, ids[0])).Any(e => Manifest(e) == "task-dispatched.v1"), Deadline,
            () => node.Transcript);

        var filled = _disk.Fill();
        string detail;
        try
        {
            detail = await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.ServiceUnavailable, d => d.Contains("does not take a write"),
                Detection, () => $"{_disk} filled with {filled} bytes\n{node.Transcript}");
            // The sessions' own writes fail too, and again in the incarnations the shard starts after each failure: more
            // failed writes than the node has slots, each of which held some.
            await Eventually.HoldsAsync(() => Task.FromResult(FailedWrites(node) >= FailuresWhileFull), Detection * 2,
                () => $"{FailedWrites(node)} failed writes\n{node.Transcript}");
            await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.ServiceUnavailable, d => d.Contains("does not take a write"),
                Detection, () => node.Transcript);
        }
        finally
        {
            _disk.Free();
        }
        Assert.Contains(database, detail);

        await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.OK, d => d.Contains("answering"), Detection, () => node.Transcript);
        var late = await http.PostAsJsonAsync("/api/sessions", new { template = "many", id = "after-full", inputs = new Dictionary<string, string>() });
        Assert.True(late.IsSuccessStatusCode, await late.Content.ReadAsStringAsync());
        foreach (var id in ids.Append("after-full"))
        {
            JsonElement session = default;
            await Eventually.HoldsAsync(async () =>
            {
                session = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
                return session.GetProperty("lifecycle").GetString() is "completed" or "failed" or "cancelled";
            }, Deadline, () => $"{id}: {session}\n{node.Transcript}");
            Assert.True(session.GetProperty("lifecycle").GetString() == "completed", $"{id}: {session}");
            var tasks = session.GetProperty("tasks").EnumerateArray().ToList();
            Assert.Equal(TasksPerSession, tasks.Count);
            Assert.All(tasks, t => Assert.Equal("succeeded", t.GetProperty("state").GetString()));
            var succeeded = (await Journal(http, id)).Where(e => Manifest(e) == "task-succeeded.v1")
                .GroupBy(e => e.GetProperty("event").GetProperty("taskId").GetString()).ToList();
            Assert.All(succeeded, g => Assert.True(g.Count() == 1, $"{id}/{g.Key} succeeded {g.Count()} times"));
        }
    }

    private static async Task<JsonElement[]> Journal(HttpClient http, string id)
    {
        var reply = await http.GetFromJsonAsync<JsonElement>($"/api/journal/session-{id}?max=10000");
        return reply.GetProperty("events").EnumerateArray().ToArray();
    }

    private static int FailedWrites(NodeProcess node) =>
        node.Output.Count(l => l.Contains("SessionCoordinator") && l.Contains("Failed to persist event"));

    private static string? Manifest(JsonElement e) => e.GetProperty("manifest").GetString();
}
