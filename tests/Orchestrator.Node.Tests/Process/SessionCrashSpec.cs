using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>SIGKILL a node in the middle of a session, start it again: the session completes by itself
/// (remember-entities), and the journal shows that no completed task ran again and no attempt was dispatched twice. The
/// kill lands at several points: right after the first dispatches (tasks in flight, none finished), after some tasks
/// have finished, and while the session snapshots after every few events (so a snapshot write is under way or just
/// done). Each case checks, from the journal as the killed node left it, that the session had not finished and had a
/// task in flight, and that the restarted node dispatched that task again: it always exercises recovery.</summary>
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
        // The random-weight model may end every answer early, and then the session can end before the kill lands: such a
        // run exercises no recovery, so it is set aside and the case runs again on a fresh node and database.
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            _work = Directory.CreateDirectory(Path.Combine(_dir, $"attempt-{attempt}")).FullName;
            if (await KilledMidRunAsync(killAfterSucceeded, snapshotEvery)) return;
        }
        Assert.Fail($"the session ended before the kill in {Attempts} runs in a row");
    }

    /// <summary>How many runs a case may take to land its kill before the session ends.</summary>
    private const int Attempts = 3;

    /// <summary>The folder of the current run: its model, configuration and database.</summary>
    private string _work = "";

    /// <summary>One run of the case; false when the session ended before the kill (nothing was recovered, nothing to check).</summary>
    private async Task<bool> KilledMidRunAsync(int killAfterSucceeded, int snapshotEvery)
    {
        var model = Path.Combine(_work, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var roles = TinyModelNode.ManuscriptReviewRoles;
        var config = Path.Combine(_work, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            {{TinyModelNode.Config(model, roles, sequences: 2)}}
            orchestrator.sessions.max-tokens = 1024
            orchestrator.sessions.snapshot-every = {{snapshotEvery}}
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(_work, "node.db"))}}
            """);
        var env = new Dictionary<string, string> { ["ORCH_API_PORT"] = FreePort.Next().ToString() };

        var endedEarly = false;
        await using (var first = NodeProcess.Start(_work, env, "--config", config))
        {
            await first.WaitUntilReadyAsync(Deadline);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.ApiPort}") };
            var created = await http.PostAsJsonAsync("/api/sessions",
                new { template = "manuscript-review", id = "crash-1", inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = "The keeper counted ships." } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

            // Kill it once a task is in flight and the wanted number of tasks have completed (and, when it snapshots
            // often, once a snapshot is stored: it is saved after the write that triggers it, so it may lag the journal).
            JsonElement[] seen = [];
            await Eventually.HoldsAsync(async () =>
            {
                seen = await Journal(http);
                // A session that ends before the kill point would make this wait out its deadline: this run is over.
                if (Finished(seen)) return endedEarly = true;
                return Succeeded(seen).Count >= killAfterSucceeded && InFlight(seen).Count > 0
                       && (snapshotEvery >= 10 || SnapshotsOf("session-crash-1") > 0);
            }, Deadline, () => $"a kill point (snapshots: {SnapshotsOf("session-crash-1")}):\n{Summary(seen)}\n{first.Transcript}");
            first.Kill();
            await first.WaitForExitAsync(Deadline);
        }
        if (endedEarly) return false;
        if (snapshotEvery < 10)
            Assert.True(SnapshotsOf("session-crash-1") > 0, "the session had snapshotted before the kill");
        // What the first node wrote, read from its file once it is dead: the session had not finished and had a task in
        // flight, so what follows exercises recovery (a session that finished between the last look and the kill would
        // pass without it).
        var lastBeforeKill = LastSequenceNrOf("session-crash-1");

        await using var second = NodeProcess.Start(_work, env, "--config", config);
        await second.WaitUntilReadyAsync(Deadline);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.ApiPort}") };
        JsonElement[] events = [];
        await Eventually.HoldsAsync(async () =>
        {
            events = await Journal(client);
            return Finished(events);
        }, Deadline);

        Assert.Contains(events, e => Manifest(e) == "session-completed.v1");
        var beforeKill = events.Where(e => e.GetProperty("sequenceNr").GetInt64() <= lastBeforeKill).ToArray();
        var afterKill = events.Where(e => e.GetProperty("sequenceNr").GetInt64() > lastBeforeKill).ToArray();
        if (Finished(beforeKill)) return false; // it ended between the last look and the kill: nothing was recovered
        Assert.True(Succeeded(beforeKill).Count >= killAfterSucceeded, $"{Succeeded(beforeKill).Count} tasks had succeeded before the kill");
        var interrupted = InFlight(beforeKill);
        Assert.NotEmpty(interrupted);
        // Recovery dispatched each interrupted task again, as a new attempt.
        Assert.All(interrupted, a => Assert.Contains(afterKill, e =>
            Manifest(e) == "task-dispatched.v1" && TaskOf(e) == a.Task && e.GetProperty("event").GetProperty("attempt").GetInt32() > a.Attempt));

        // Within an iteration, an attempt is dispatched once, a task succeeds at most once, and nothing is dispatched
        // after its task succeeded: nothing that completed before the crash ran again.
        var dispatched = new HashSet<(int, string, int)>();
        var succeeded = new Dictionary<(int, string), int>();
        var iteration = 1;
        foreach (var e in events)
        {
            var body = e.GetProperty("event");
            switch (Manifest(e))
            {
                case "iteration-started.v1":
                    iteration = body.GetProperty("iteration").GetInt32();
                    break;
                case "task-dispatched.v1":
                    var attempt = (iteration, TaskOf(e), body.GetProperty("attempt").GetInt32());
                    Assert.True(dispatched.Add(attempt), $"{attempt} was dispatched twice");
                    Assert.False(succeeded.ContainsKey((iteration, TaskOf(e))), $"{attempt} was dispatched after its task succeeded");
                    break;
                case "task-succeeded.v1":
                    var key = (iteration, TaskOf(e));
                    succeeded[key] = succeeded.GetValueOrDefault(key) + 1;
                    break;
            }
        }
        Assert.All(succeeded, kv => Assert.True(kv.Value == 1, $"{kv.Key} succeeded {kv.Value} times"));

        // Every persisted outcome reached the agent registry exactly once: the kill came right after an outcome was
        // written (its report may have died with the node), and the recovered session reported what it replayed again.
        var outcomes = events.Count(e => e.GetProperty("manifest").GetString() is "task-succeeded.v1" or "task-failed.v1");
        long learned = 0;
        await Eventually.HoldsAsync(async () => (learned = await LearnedOutcomes(client)) >= outcomes, Deadline,
            () => $"{learned} of {outcomes} outcomes learned by the registry");
        Assert.Equal(outcomes, await LearnedOutcomes(client));
        return true;
    }

    /// <summary>The outcomes the agent registry has counted, over every agent (each once, under kind <c>*</c>).</summary>
    private static async Task<long> LearnedOutcomes(HttpClient http)
    {
        var reply = await http.GetFromJsonAsync<JsonElement>("/api/agents/analytics");
        return reply.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "*")
            .Sum(e => e.GetProperty("performance").GetProperty("samples").GetInt64());
    }

    /// <summary>The journal's events in order, one line each (sequence number, manifest, task and attempt).</summary>
    private static string Summary(JsonElement[] events) => string.Join("\n", events.Select(e =>
        $"{e.GetProperty("sequenceNr").GetInt64()} {Manifest(e)} {(e.GetProperty("event").TryGetProperty("taskId", out var t) ? t.ToString() : "")} " +
        $"{(e.GetProperty("event").TryGetProperty("attempt", out var a) ? a.ToString() : "")}"));

    private static async Task<JsonElement[]> Journal(HttpClient http)
    {
        var reply = await http.GetFromJsonAsync<JsonElement>("/api/journal/session-crash-1?max=10000");
        return reply.GetProperty("events").EnumerateArray().ToArray();
    }

    private long SnapshotsOf(string persistenceId)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_work, "node.db")};Mode=ReadOnly");
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = $id";
        count.Parameters.AddWithValue("$id", persistenceId);
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>The last sequence number written for <paramref name="persistenceId"/>, read from the node's file.</summary>
    private long LastSequenceNrOf(string persistenceId)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_work, "node.db")};Mode=ReadOnly");
        db.Open();
        using var max = db.CreateCommand();
        max.CommandText = "SELECT MAX(sequence_number) FROM journal WHERE persistence_id = $id";
        max.Parameters.AddWithValue("$id", persistenceId);
        return (long)max.ExecuteScalar()!;
    }

    private static string? Manifest(JsonElement e) => e.GetProperty("manifest").GetString();

    private static string TaskOf(JsonElement e) => e.GetProperty("event").GetProperty("taskId").GetString()!;

    private static bool Finished(JsonElement[] events) => events.Any(e => Manifest(e) is "session-completed.v1" or "session-failed.v1");

    private static List<JsonElement> Succeeded(JsonElement[] events) => events.Where(e => Manifest(e) == "task-succeeded.v1").ToList();

    /// <summary>The attempts dispatched without an outcome yet.</summary>
    private static List<(string Task, int Attempt)> InFlight(JsonElement[] events)
    {
        var attempts = new List<(string Task, int Attempt)>();
        foreach (var e in events)
        {
            var manifest = Manifest(e);
            if (manifest is not ("task-dispatched.v1" or "task-succeeded.v1" or "task-failed.v1")) continue;
            var attempt = (TaskOf(e), e.GetProperty("event").GetProperty("attempt").GetInt32());
            if (manifest == "task-dispatched.v1") attempts.Add(attempt);
            else attempts.Remove(attempt);
        }
        return attempts;
    }
}
