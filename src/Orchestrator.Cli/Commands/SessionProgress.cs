using System.Globalization;
using System.Text.Json;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Sessions;
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
    /// <summary>Tasks done: as the events counted them, or as the last status did when it knows of more (a session that
    /// ended before the tail began streams nothing to count).</summary>
    public int Done => Math.Max(StatusDone,
        _tasks.Values.Count(t => t.State is TaskProgressState.Succeeded or TaskProgressState.Failed or TaskProgressState.Skipped));

    /// <summary>Succeeded, failed and skipped tasks as the last status counted them, until an iteration starts again.</summary>
    public int StatusDone { get; private set; }
    public int Iteration { get; private set; } = 1;
    public double? BestScore { get; private set; }
    public long TokenChunks { get; private set; }
    public string Lifecycle { get; private set; } = "running";
    public string? EndReason { get; private set; }
    public int Dropped { get; private set; }

    /// <summary>True once the session completed, failed or was cancelled.</summary>
    public bool Ended => Lifecycle is "completed" or "failed" or "cancelled";

    /// <summary>The node's <c>end</c> event, when it ended the stream before the session ended (it stops, its database failed).</summary>
    public StreamEndDto? StreamEnd { get; private set; }

    /// <summary>True once there is nothing more to follow: the session ended, or the node ended the stream.</summary>
    public bool Stopped => Ended || StreamEnd is not null;

    /// <summary>0 when the session completed, 1 when it failed or was cancelled; when the node ended the stream first, 3
    /// (unreachable) for its shutdown and 1 for anything else (its database failed).</summary>
    public int ExitCode => Ended || StreamEnd is null
        ? Lifecycle == "completed" ? ExitCodes.Ok : ExitCodes.Failed
        : StreamEnd.Reason == StreamEndDto.Shutdown ? ExitCodes.Unreachable : ExitCodes.Failed;

    /// <summary>Token chunks per second over the last <see cref="RateWindow"/> (or since the first chunk when younger).</summary>
    public double TokensPerSecond(TimeSpan now)
    {
        while (_chunks.Count > 0 && _chunks.Peek() < now - RateWindow) _chunks.Dequeue();
        if (_firstChunk is not { } first || _chunks.Count == 0) return 0;
        var span = Math.Min(RateWindow.TotalSeconds, (now - first).TotalSeconds);
        return span <= 0 ? 0 : _chunks.Count / Math.Max(span, 1);
    }

    /// <summary>Takes a session status (<c>GET /api/sessions/{id}</c>) as the starting point.</summary>
    public void ApplyStatus(SessionStatusDto status)
    {
        StatusTotal = status.TotalTasks;
        StatusDone = status.Succeeded + status.Failed + status.Skipped;
        Iteration = Math.Max(1, status.Iteration);
        if (status.BestScore is { } best) BestScore = best;
        Lifecycle = ApiJson.Name(status.Lifecycle);
        if (status.EndReason is { } reason) EndReason = reason;
    }

    /// <summary>Folds one event of the stream in; returns a line describing it, or null for token chunks and events
    /// that change nothing shown.</summary>
    public string? Apply(SseEvent item, TimeSpan now)
    {
        try
        {
            return ApplyParsed(item, now);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? ApplyParsed(SseEvent item, TimeSpan now)
    {
        switch (item.Event)
        {
            case TaskTokensDto.EventType:
                var chunk = Read<TaskTokensDto>(item.Data);
                TokenChunks++;
                _firstChunk ??= now;
                _chunks.Enqueue(now);
                if (chunk?.TaskId is { } tokenTask) Task(tokenTask).Tokens++;
                return null;
            case StreamEndDto.EventType:
                StreamEnd = Read<StreamEndDto>(item.Data) ?? new StreamEndDto("unknown", "");
                return null;
            case DroppedDto.EventType:
                Dropped += (int)(Read<DroppedDto>(item.Data)?.Count ?? 0);
                return $"(the node dropped {Dropped} token chunks this view was too slow for)";
        }
        var persisted = Read<SessionEventDto>(item.Data);
        if (persisted is null || persisted.Event.ValueKind != JsonValueKind.Object)
            return null;
        var manifest = persisted.Manifest ?? item.Event;
        SessionEventBodyDto Body() => persisted.Event.Deserialize<SessionEventBodyDto>(ApiJson.Options)!;
        switch (manifest)
        {
            case "plan-accepted.v1":
                foreach (var t in Body().Tasks ?? [])
                    if (t.Phase != "per-task" && t.Id is { } planned)
                        Task(planned);
                return $"plan: {TotalTasks} tasks";
            case "task-dispatched.v1":
                {
                    var e = Body();
                    var task = Task(e.TaskId!);
                    task.State = TaskProgressState.Running;
                    task.Attempt = e.Attempt ?? 0;
                    return e.Agent is { } agent
                        ? $"{task.Id} running (attempt {task.Attempt}, agent {agent} on {e.Model})"
                        : $"{task.Id} running (attempt {task.Attempt}, {e.Model})";
                }
            case "task-succeeded.v1":
                {
                    var e = Body();
                    var task = Task(e.TaskId!);
                    task.State = TaskProgressState.Succeeded;
                    if (e.Tokens is { } tokens) task.Tokens = tokens;
                    return $"{task.Id} succeeded ({task.Tokens} tokens) [{Done}/{TotalTasks}]";
                }
            case "task-failed.v1":
                {
                    var e = Body();
                    var task = Task(e.TaskId!);
                    var retry = e.Retryable == true;
                    task.State = retry ? TaskProgressState.Pending : TaskProgressState.Failed;
                    return $"{task.Id} failed{(retry ? ", will retry" : "")}: {e.Reason} [{Done}/{TotalTasks}]";
                }
            case "task-skipped.v1":
                {
                    var e = Body();
                    var task = Task(e.TaskId!);
                    task.State = TaskProgressState.Skipped;
                    return $"{task.Id} skipped: {e.Reason} [{Done}/{TotalTasks}]";
                }
            case "iteration-started.v1":
                {
                    var e = Body();
                    Iteration = e.Iteration ?? 0;
                    StatusDone = 0;
                    foreach (var id in e.TaskIds ?? [])
                        if (id is not null) Task(id).State = TaskProgressState.Pending;
                    return $"iteration {Iteration} started";
                }
            case "iteration-completed.v1":
                {
                    var metrics = Body().Metrics;
                    if (metrics is not null)
                    {
                        Iteration = metrics.Iteration;
                        if (metrics.Score is { } score)
                            BestScore = Math.Max(BestScore ?? double.MinValue, score);
                    }
                    return $"iteration {Iteration} completed, score {Score(metrics?.Score)}";
                }
            case "session-paused.v1":
                Lifecycle = "paused";
                return "session paused";
            case "session-resumed.v1":
                Lifecycle = "running";
                return "session resumed";
            case "session-completed.v1":
                {
                    var e = Body();
                    Lifecycle = "completed";
                    EndReason = e.Reason;
                    if (e.FinalScore is { } final) BestScore = final;
                    return $"session completed: {EndReason}";
                }
            case "session-failed.v1":
                Lifecycle = "failed";
                EndReason = Body().Reason;
                return $"session failed: {EndReason}";
            case "session-cancelled.v1":
                Lifecycle = "cancelled";
                EndReason = Body().Reason;
                // The node stopped its workers: a task that was running will not finish (as the node shows it).
                foreach (var task in _tasks.Values.Where(t => t.State == TaskProgressState.Running))
                    task.State = TaskProgressState.Pending;
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

    private static T? Read<T>(string data) where T : class => JsonSerializer.Deserialize<T>(data, ApiJson.Options);

    private static string Score(double? score) => score?.ToString("0.00", CultureInfo.InvariantCulture) ?? "none";
}
