using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Cli.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orchestrator.Cli.Commands;

/// <summary><c>sessions tail ID</c>: follows a session's event stream to its end. On a terminal it redraws a table in
/// place (Spectre's live display); redirected, it prints one line per event. A dropped connection is resumed with
/// <c>Last-Event-ID</c>; a stream that ends before the session does is checked against the session's status. A stream the
/// node ends with an <c>end</c> event (it stops, its database failed) ends the tail with one line saying so.</summary>
internal static class SessionTail
{
    /// <summary>How long the node may stay unreachable before the tail gives up (exit 3).</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(CliContext ctx, string id, CancellationToken ct)
    {
        var path = $"/api/sessions/{Uri.EscapeDataString(id)}";
        var progress = new SessionProgress(id, 0);
        progress.ApplyStatus((await ctx.Client.GetAsync<SessionStatusDto>(path, ct)).Value);
        try
        {
            return await FollowToTheEndAsync(ctx, path, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !ctx.Json)
        {
            // Ctrl-C stops the view, not the session: say so, with where it was.
            ctx.Console.WriteLine($"Stopped following; the session goes on. {Summary(progress)}");
            throw;
        }
    }

    private static async Task<int> FollowToTheEndAsync(CliContext ctx, string path, SessionProgress progress, CancellationToken ct)
    {
        var id = progress.SessionId;
        var clock = Stopwatch.StartNew();

        if (ctx.Json)
        {
            // The end event is printed as every other event is: its data, one line.
            await FollowAsync(ctx, path, progress, clock, (item, _) => ctx.Console.Profile.Out.Writer.WriteLine(item.Data), ct);
            return progress.ExitCode;
        }
        if (!ctx.Console.Profile.Capabilities.Ansi)
        {
            ctx.Console.WriteLine($"Tailing session {id}: {progress.Lifecycle}, {progress.TotalTasks} tasks");
            await FollowAsync(ctx, path, progress, clock, (_, line) =>
            {
                if (line is not null)
                    ctx.Console.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
            }, ct);
            ctx.Console.WriteLine(Summary(progress));
            WriteStreamEnd(ctx, progress);
            return progress.ExitCode;
        }

        await ctx.Console.Live(Render(progress, clock.Elapsed)).AutoClear(false).StartAsync(async live =>
        {
            var drawn = TimeSpan.Zero;
            await FollowAsync(ctx, path, progress, clock, (_, _) =>
            {
                if (clock.Elapsed - drawn < RedrawEvery && !progress.Ended) return;
                drawn = clock.Elapsed;
                live.UpdateTarget(Render(progress, clock.Elapsed));
            }, ct);
            live.UpdateTarget(Render(progress, clock.Elapsed));
        });
        ctx.Console.MarkupLine(Markup.Escape(Summary(progress)));
        WriteStreamEnd(ctx, progress);
        return progress.ExitCode;
    }

    /// <summary>Why the node ended the stream, in one plain line, when it did.</summary>
    private static void WriteStreamEnd(CliContext ctx, SessionProgress progress)
    {
        if (progress is { Ended: false, StreamEnd: { } end })
            ctx.Console.WriteLine(end.Reason switch
            {
                StreamEndDto.Shutdown => "Stopped following: the node is shutting down. The session goes on; tail it again once the node is back.",
                StreamEndDto.Outage => "Stopped following: the node's journal database failed. Tail the session again once 'orch health' says the node is ready.",
                _ => $"Stopped following: the node ended the stream ({end.Reason}): {end.Message}",
            });
    }

    /// <summary>Reads the stream until the session ends, reconnecting after the last event id seen; each event is folded
    /// into <paramref name="progress"/>, then handed to <paramref name="handle"/> with its line.</summary>
    private static async Task FollowAsync(CliContext ctx, string path, SessionProgress progress, Stopwatch clock, Action<SseEvent, string?> handle,
        CancellationToken ct)
    {
        string? lastId = null;
        var failures = 0;
        var unreachableSince = (TimeSpan?)null;
        while (!progress.Stopped)
        {
            try
            {
                using var response = await ctx.Client.OpenEventStreamAsync($"{path}/events", lastId, ct);
                unreachableSince = null;
                failures = 0;
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                await foreach (var item in SseReader.ReadAsync(reader, ct))
                {
                    if (item.Id is not null) lastId = item.Id;
                    handle(item, progress.Apply(item, clock.Elapsed));
                    if (progress.Stopped) return;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException or NodeUnreachableException && !ct.IsCancellationRequested)
            {
                unreachableSince ??= clock.Elapsed;
                if (clock.Elapsed - unreachableSince > GiveUpAfter)
                    throw e as NodeUnreachableException ?? new NodeUnreachableException(ctx.Client.Address, e.Message);
            }
            // The stream ended (or broke) before the session did: the status says whether it is over.
            try
            {
                progress.ApplyStatus((await ctx.Client.GetAsync<SessionStatusDto>(path, ct)).Value);
                if (progress.Ended) return;
            }
            catch (NodeUnreachableException)
            {
                unreachableSince ??= clock.Elapsed;
            }
            failures++;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))), ct);
        }
    }

    private static string Summary(SessionProgress p) =>
        $"Session {p.SessionId} {p.Lifecycle}: {p.Done}/{p.TotalTasks} tasks, iteration {p.Iteration}, best score {Score(p.BestScore)}" +
        (p.EndReason is { Length: > 0 } reason ? $" ({reason})" : "");

    private static string Score(double? score) => score?.ToString("0.00", CultureInfo.InvariantCulture) ?? "none";

    private static IRenderable Render(SessionProgress p, TimeSpan now)
    {
        var header = new Markup($"[bold]{Markup.Escape(p.SessionId)}[/] {Lifecycle(p.Lifecycle)} · {p.Done}/{p.TotalTasks} tasks · " +
                                $"iteration {p.Iteration} · best score {Score(p.BestScore)} · " +
                                $"{p.TokensPerSecond(now).ToString("0.0", CultureInfo.InvariantCulture)} tokens/s");
        var table = new Table().AddColumns("Task", "State", "Attempt", "Tokens");
        foreach (var task in p.Tasks)
            table.AddRow(Markup.Escape(task.Id), State(task.State), task.Attempt == 0 ? "" : task.Attempt.ToString(CultureInfo.InvariantCulture),
                task.Tokens.ToString(CultureInfo.InvariantCulture));
        var unseen = p.TotalTasks - p.Tasks.Count();
        if (unseen > 0)
            table.AddRow($"[grey]… {unseen} more[/]", State(TaskProgressState.Pending), "", "");
        return new Rows(header, table);
    }

    private static string State(TaskProgressState state) => state switch
    {
        TaskProgressState.Running => "[yellow]running[/]",
        TaskProgressState.Succeeded => "[green]succeeded[/]",
        TaskProgressState.Failed => "[red]failed[/]",
        TaskProgressState.Skipped => "[grey]skipped[/]",
        _ => "[grey]pending[/]",
    };

    private static string Lifecycle(string lifecycle) => lifecycle switch
    {
        "completed" => "[green]completed[/]",
        "failed" or "cancelled" => $"[red]{lifecycle}[/]",
        "paused" => "[yellow]paused[/]",
        _ => Markup.Escape(lifecycle),
    };
}
