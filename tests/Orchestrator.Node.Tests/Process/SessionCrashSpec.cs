using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>SIGKILL a node in the middle of a session, start it again: the session completes by itself
/// (remember-entities), and the journal shows that no completed task ran again. The kill lands at several points:
/// right after the first dispatches (tasks in flight, none finished), after some tasks have finished, and while the
/// session snapshots after every few events (so a snapshot write is under way or just done).</summary>
public sealed class SessionCrashSpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-session-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(2, 500)]
    [InlineData(1, 2)]
    public async Task A_session_killed_mid_run_completes_after_restart_without_rerunning_completed_tasks(int killAfterSucceeded, int snapshotEvery)
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var roles = TinyModelNode.ManuscriptReviewRoles;
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            {{TinyModelNode.Config(model, roles, sequences: 2)}}
            orchestrator.sessions.max-tokens = 1024
            orchestrator.sessions.snapshot-every = {{snapshotEvery}}
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(_dir, "node.db"))}}
            """);
        var env = new Dictionary<string, string> { ["ORCH_API_PORT"] = FreePort.Next().ToString() };
        var killedAt = DateTimeOffset.MaxValue;

        await using (var first = NodeProcess.Start(_dir, env, "--config", config))
        {
            await first.WaitUntilReadyAsync(Deadline);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.ApiPort}") };
            var created = await http.PostAsJsonAsync("/api/sessions",
                new { template = "manuscript-review", id = "crash-1", inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "The keeper counted ships." } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

            // Kill it once a task is in flight and the wanted number of tasks have completed (and, when it snapshots
            // often, once a snapshot is stored: it is saved after the write that triggers it, so it may lag the journal).
            await Eventually.HoldsAsync(async () =>
            {
                var journal = await Journal(http);
                return Succeeded(journal).Count >= killAfterSucceeded && journal.Any(e => e.GetProperty("manifest").GetString() == "task-dispatched.v1")
                       && (snapshotEvery >= 10 || SnapshotsOf("session-crash-1") > 0);
            }, Deadline);
            first.Kill();
            killedAt = DateTimeOffset.UtcNow;
            await first.WaitForExitAsync(Deadline);
        }
        if (snapshotEvery < 10)
            Assert.True(SnapshotsOf("session-crash-1") > 0, "the session had snapshotted before the kill");

        await using var second = NodeProcess.Start(_dir, env, "--config", config);
        await second.WaitUntilReadyAsync(Deadline);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.ApiPort}") };
        JsonElement[] events = [];
        await Eventually.HoldsAsync(async () =>
        {
            events = await Journal(client);
            return events.Any(e => e.GetProperty("manifest").GetString() is "session-completed.v1" or "session-failed.v1");
        }, Deadline);

        Assert.Contains(events, e => e.GetProperty("manifest").GetString() == "session-completed.v1");
        // The first node may have finished between the last look at its journal and the kill: then there was no rest.
        var writtenBeforeKill = events.Where(e => e.GetProperty("timestamp").GetDateTimeOffset() <= killedAt).ToList();
        if (!writtenBeforeKill.Any(e => e.GetProperty("manifest").GetString() == "session-completed.v1"))
            Assert.True(Succeeded(events).Count > Succeeded([.. writtenBeforeKill]).Count, "the restarted node ran the rest of the session");
        // Within an iteration, a task succeeds at most once: nothing that completed before the crash ran again.
        var perIteration = new Dictionary<(int, string), int>();
        var iteration = 1;
        foreach (var e in events)
        {
            var body = e.GetProperty("event");
            if (e.GetProperty("manifest").GetString() == "iteration-started.v1") iteration = body.GetProperty("iteration").GetInt32();
            if (e.GetProperty("manifest").GetString() == "task-succeeded.v1")
            {
                var key = (iteration, body.GetProperty("taskId").GetString()!);
                perIteration[key] = perIteration.GetValueOrDefault(key) + 1;
            }
        }
        Assert.All(perIteration, kv => Assert.True(kv.Value == 1, $"{kv.Key} succeeded {kv.Value} times"));

        // Every persisted outcome reached the agent registry exactly once: the kill came right after an outcome was
        // written (its report may have died with the node), and the recovered session reported what it replayed again.
        var outcomes = events.Count(e => e.GetProperty("manifest").GetString() is "task-succeeded.v1" or "task-failed.v1");
        long learned = 0;
        await Eventually.HoldsAsync(async () => (learned = await LearnedOutcomes(client)) >= outcomes, Deadline,
            () => $"{learned} of {outcomes} outcomes learned by the registry");
        Assert.Equal(outcomes, await LearnedOutcomes(client));
    }

    /// <summary>The outcomes the agent registry has counted, over every agent (each once, under kind <c>*</c>).</summary>
    private static async Task<long> LearnedOutcomes(HttpClient http)
    {
        var reply = await http.GetFromJsonAsync<JsonElement>("/api/agents/analytics");
        return reply.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "*")
            .Sum(e => e.GetProperty("performance").GetProperty("samples").GetInt64());
    }

    private static async Task<JsonElement[]> Journal(HttpClient http)
    {
        var reply = await http.GetFromJsonAsync<JsonElement>("/api/journal/session-crash-1?max=10000");
        return reply.GetProperty("events").EnumerateArray().ToArray();
    }

    private long SnapshotsOf(string persistenceId)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "node.db")};Mode=ReadOnly");
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = $id";
        count.Parameters.AddWithValue("$id", persistenceId);
        return (long)count.ExecuteScalar()!;
    }

    private static List<JsonElement> Succeeded(JsonElement[] events) =>
        events.Where(e => e.GetProperty("manifest").GetString() == "task-succeeded.v1").ToList();

}
