using System.Text.Json;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Cli.Client;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli.Tests;

public sealed class SessionProgressSpec
{
    private static SseEvent Persisted(long seq, string manifest, object e) =>
        new(manifest, JsonSerializer.Serialize(new { sessionId = "s", sequenceNr = seq, manifest, @event = e }), seq.ToString());

    private static SseEvent Tokens(string task, int index) =>
        new("task-tokens", JsonSerializer.Serialize(new { sessionId = "s", taskId = task, attempt = 1, index, text = "x" }), null);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Tasks_move_from_pending_to_running_to_done_and_count_against_the_total()
    {
        var progress = new SessionProgress("s", 3);
        progress.Apply(Persisted(2, "plan-accepted.v1", new { tasks = new object[] { new { id = "a" }, new { id = "b" }, new { id = "proto", phase = "per-task" } } }), S(0));
        Assert.Equal(["a", "b"], progress.Tasks.Select(t => t.Id));
        Assert.All(progress.Tasks, t => Assert.Equal(TaskProgressState.Pending, t.State));

        Assert.Equal("a running (attempt 1, tiny)",
            progress.Apply(Persisted(3, "task-dispatched.v1", new { taskId = "a", attempt = 1, model = "tiny" }), S(1)));
        Assert.Equal(TaskProgressState.Running, progress.Tasks.First().State);
        Assert.Equal("a succeeded (12 tokens) [1/3]", progress.Apply(Persisted(4, "task-succeeded.v1", new { taskId = "a", attempt = 1, tokens = 12 }), S(2)));

        progress.Apply(Persisted(5, "task-failed.v1", new { taskId = "b", attempt = 1, reason = "bad json", retryable = true }), S(3));
        Assert.Equal(TaskProgressState.Pending, progress.Tasks.Last().State);
        progress.Apply(Persisted(6, "task-failed.v1", new { taskId = "b", attempt = 2, reason = "bad json", retryable = false }), S(4));
        Assert.Equal(TaskProgressState.Failed, progress.Tasks.Last().State);
        Assert.Equal((2, 3), (progress.Done, progress.TotalTasks));
        Assert.False(progress.Ended);
    }

    [Fact]
    public void Iterations_keep_the_best_score_and_the_end_sets_the_exit_code()
    {
        var progress = new SessionProgress("s", 1);
        progress.Apply(Persisted(7, "iteration-completed.v1", new { metrics = new { iteration = 1, score = 0.6 } }), S(0));
        progress.Apply(Persisted(8, "iteration-started.v1", new { iteration = 2, taskIds = new[] { "a" } }), S(1));
        progress.Apply(Persisted(9, "iteration-completed.v1", new { metrics = new { iteration = 2, score = 0.4 } }), S(2));
        Assert.Equal((2, 0.6), (progress.Iteration, progress.BestScore));

        Assert.Equal("session completed: quality reached",
            progress.Apply(Persisted(10, "session-completed.v1", new { finalScore = 0.6, reason = "quality reached" }), S(3)));
        Assert.True(progress.Ended);
        Assert.Equal(0, progress.ExitCode);

        var cancelled = new SessionProgress("s", 1);
        cancelled.Apply(Persisted(2, "task-dispatched.v1", new { taskId = "a", attempt = 1, model = "tiny" }), S(0));
        cancelled.Apply(Persisted(3, "session-cancelled.v1", new { reason = "by user" }), S(0));
        Assert.Equal((true, 1), (cancelled.Ended, cancelled.ExitCode));
        Assert.Equal(TaskProgressState.Pending, Assert.Single(cancelled.Tasks).State); // not running forever
    }

    [Fact]
    public void Token_chunks_give_a_rate_over_the_last_seconds()
    {
        var progress = new SessionProgress("s", 1);
        for (var i = 0; i < 20; i++)
            Assert.Null(progress.Apply(Tokens("a", i), S(i * 0.5)));

        Assert.Equal(20, progress.Tasks.Single().Tokens);
        // Chunks at 5.0 .. 9.5 s are within the 5 s before 10 s: 10 of them.
        Assert.Equal(2, progress.TokensPerSecond(S(10)), 6);
        Assert.Equal(0, progress.TokensPerSecond(S(60)));
    }

    [Fact]
    public void A_status_sets_the_total_and_a_finished_lifecycle()
    {
        var progress = new SessionProgress("s", 0);
        progress.ApplyStatus(JsonSerializer.Deserialize<SessionStatusDto>(
            """{"totalTasks":7,"iteration":2,"bestScore":0.5,"lifecycle":"failed","endReason":"boom"}""", ApiJson.Options)!);

        Assert.Equal((7, 2, 0.5, true, 1), (progress.TotalTasks, progress.Iteration, progress.BestScore, progress.Ended, progress.ExitCode));
    }
}
