using System.Globalization;
using System.Text.Json;
using Orchestrator.Cli.Client;

namespace Orchestrator.Cli.Commands;

/// <summary>Where one task of a tailed session is.</summary>
internal enum TaskProgressState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>One task as <c>orch sessions tail</c> shows it.</summary>
internal sealed class TaskProgress(string id)
{
    public string Id { get; } = id;
    public TaskProgressState State { get; set; } = TaskProgressState.Pending;
    public int Attempt { get; set; }
    public long Tokens { get; set; }
}

/// <summary>The progress of a session folded from its event stream (<c>GET /api/sessions/{id}/events</c>): tasks done
/// of total, each task's state, tokens per second over the last seconds (token chunks counted), iteration and best
/// score, and how the session ended. <see cref="Apply"/> returns a line for each change worth printing on its own.</summary>
internal sealed class SessionProgress(string sessionId, int totalTasks)
{
    /// <summary>How far back the tokens/s looks.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, TaskProgress> _tasks = new(StringComparer.Ordinal);
    private readonly Queue<TimeSpan> _chunks = new();
    private TimeSpan? _firstChunk;

    public string SessionId { get; } = sessionId;
    public int StatusTotal { get; set; } = totalTasks;
    public IEnumerable<TaskProgress> Tasks => _tasks.Values;
    public int TotalTasks => Math.Max(StatusTotal, _tasks.Count);
    public int Done => _tasks.Values.Count(t => t.State is TaskProgressState.Succeeded or TaskProgressState.Failed or TaskProgressState.Skipped);
    public int Iteration { get; private set; } = 1;
    public double? BestScore { get; private set; }
    public long TokenChunks { get; private set; }
    public string Lifecycle { get; private set; } = "running";
    public string? EndReason { get; private set; }
    public int Dropped { get; private set; }

    /// <summary>True once the session completed, failed or was cancelled.</summary>
    public bool Ended => Lifecycle is "completed" or "failed" or "cancelled";

    /// <summary>0 when the session completed, 1 when it failed or was cancelled.</summary>
    public int ExitCode => Lifecycle == "completed" ? ExitCodes.Ok : ExitCodes.Failed;

    /// <summary>Token chunks per second over the last <see cref="RateWindow"/> (or since the first chunk when younger).</summary>
    public double TokensPerSecond(TimeSpan now)
    {
        while (_chunks.Count > 0 && _chunks.Peek() < now - RateWindow) _chunks.Dequeue();
        if (_firstChunk is not { } first || _chunks.Count == 0) return 0;
        var span = Math.Min(RateWindow.TotalSeconds, (now - first).TotalSeconds);
        return span <= 0 ? 0 : _chunks.Count / Math.Max(span, 1);
    }

    /// <summary>Takes a session status (<c>GET /api/sessions/{id}</c>) as the starting point.</summary>
    public void ApplyStatus(JsonElement status)
    {
        if (status.TryGetProperty("totalTasks", out var total)) StatusTotal = total.GetInt32();
        if (status.TryGetProperty("iteration", out var iteration) && iteration.ValueKind == JsonValueKind.Number)
            Iteration = Math.Max(1, iteration.GetInt32());
        if (status.TryGetProperty("bestScore", out var best) && best.ValueKind == JsonValueKind.Number) BestScore = best.GetDouble();
        if (status.TryGetProperty("lifecycle", out var lifecycle) && lifecycle.GetString() is { } l) Lifecycle = l;
        if (status.TryGetProperty("endReason", out var reason) && reason.ValueKind == JsonValueKind.String) EndReason = reason.GetString();
    }

    /// <summary>Folds one event of the stream in; returns a line describing it, or null for token chunks and events
    /// that change nothing shown.</summary>
    public string? Apply(SseEvent item, TimeSpan now)
    {
        JsonElement data;
        try
        {
            data = JsonDocument.Parse(item.Data).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
        switch (item.Event)
        {
            case "task-tokens":
                TokenChunks++;
                _firstChunk ??= now;
                _chunks.Enqueue(now);
                if (Str(data, "taskId") is { } tokenTask) Task(tokenTask).Tokens++;
                return null;
            case "dropped":
                Dropped += data.TryGetProperty("count", out var count) ? count.GetInt32() : 0;
                return $"(the node dropped {Dropped} token chunks this view was too slow for)";
        }
        if (!data.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object)
            return null;
        var manifest = Str(data, "manifest") ?? item.Event;
        switch (manifest)
        {
            case "plan-accepted.v1":
                if (e.TryGetProperty("tasks", out var tasks))
                    foreach (var t in tasks.EnumerateArray())
                        if (Str(t, "phase") != "per-task" && Str(t, "id") is { } planned)
                            Task(planned);
                return $"plan: {TotalTasks} tasks";
            case "task-dispatched.v1":
            {
                var task = Task(Str(e, "taskId")!);
                task.State = TaskProgressState.Running;
                task.Attempt = Int(e, "attempt");
                return $"{task.Id} running (attempt {task.Attempt}, {Str(e, "model")})";
            }
            case "task-succeeded.v1":
            {
                var task = Task(Str(e, "taskId")!);
                task.State = TaskProgressState.Succeeded;
                if (e.TryGetProperty("tokens", out var tokens)) task.Tokens = tokens.GetInt64();
                return $"{task.Id} succeeded ({task.Tokens} tokens) [{Done}/{TotalTasks}]";
            }
            case "task-failed.v1":
            {
                var task = Task(Str(e, "taskId")!);
                var retry = e.TryGetProperty("retryable", out var r) && r.ValueKind == JsonValueKind.True;
                task.State = retry ? TaskProgressState.Pending : TaskProgressState.Failed;
                return $"{task.Id} failed{(retry ? ", will retry" : "")}: {Str(e, "reason")} [{Done}/{TotalTasks}]";
            }
            case "task-skipped.v1":
            {
                var task = Task(Str(e, "taskId")!);
                task.State = TaskProgressState.Skipped;
                return $"{task.Id} skipped: {Str(e, "reason")} [{Done}/{TotalTasks}]";
            }
            case "iteration-started.v1":
                Iteration = Int(e, "iteration");
                if (e.TryGetProperty("taskIds", out var rerun))
                    foreach (var id in rerun.EnumerateArray())
                        if (id.GetString() is { } rerunId) Task(rerunId).State = TaskProgressState.Pending;
                return $"iteration {Iteration} started";
            case "iteration-completed.v1":
            {
                var metrics = e.TryGetProperty("metrics", out var m) ? m : default;
                if (metrics.ValueKind == JsonValueKind.Object)
                {
                    Iteration = Int(metrics, "iteration");
                    if (metrics.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number)
                        BestScore = Math.Max(BestScore ?? double.MinValue, s.GetDouble());
                }
                return $"iteration {Iteration} completed, score {Score(metrics)}";
            }
            case "session-paused.v1":
                Lifecycle = "paused";
                return "session paused";
            case "session-resumed.v1":
                Lifecycle = "running";
                return "session resumed";
            case "session-completed.v1":
                Lifecycle = "completed";
                EndReason = Str(e, "reason");
                if (e.TryGetProperty("finalScore", out var final) && final.ValueKind == JsonValueKind.Number) BestScore = final.GetDouble();
                return $"session completed: {EndReason}";
            case "session-failed.v1":
                Lifecycle = "failed";
                EndReason = Str(e, "reason");
                return $"session failed: {EndReason}";
            case "session-cancelled.v1":
                Lifecycle = "cancelled";
                EndReason = Str(e, "reason");
                return $"session cancelled: {EndReason}";
            default:
                return null;
        }
    }

    private TaskProgress Task(string id)
    {
        if (!_tasks.TryGetValue(id, out var task))
            _tasks[id] = task = new TaskProgress(id);
        return task;
    }

    private static string Score(JsonElement metrics) =>
        metrics.ValueKind == JsonValueKind.Object && metrics.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number
            ? s.GetDouble().ToString("0.00", CultureInfo.InvariantCulture)
            : "none";

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
}
