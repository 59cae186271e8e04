using System.CommandLine;
using System.Globalization;
using System.Text;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Sessions;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>sessions start|list|show|tail|answer|pause|resume|cancel</c>.</summary>
internal static class SessionCommands
{
    public static IEnumerable<Command> Create(Func<CliContext> context)
    {
        var template = new Argument<string>("template") { Description = "The workflow template, e.g. manuscript-review" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An input as NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = true };
        inputs.Validators.Add(result =>
        {
            foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
                if (pair.IndexOf('=') <= 0)
                    result.AddError($"--input '{pair}' is not NAME=VALUE (e.g. -i MANUSCRIPT=\"Once upon a time.\").");
        });
        var id = new Option<string?>("--id") { Description = "The session id (made up when absent)" };
        var start = new Command("start", "Start a session from a template") { template, inputs, id }.WithAction(context, async (ctx, parse, ct) =>
        {
            var values = new Dictionary<string, string>();
            foreach (var pair in parse.GetValue(inputs) ?? [])
            {
                var at = pair.IndexOf('=');
                values[pair[..at]] = pair[(at + 1)..];
            }
            var reply = await ctx.Client.PostAsync<SessionCreatedDto>("/api/sessions",
                new StartSessionRequest(parse.GetValue(template), values, parse.GetValue(id)), ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLine($"Started session [green]{Markup.Escape(reply.Value.Id)}[/]");
        });

        var sessionId = new Argument<string>("id") { Description = "The session id" };
        Command Lifecycle(string name, string description, string path) =>
            new Command(name, description) { sessionId }.WithAction(context, async (ctx, parse, ct) =>
            {
                var escaped = Uri.EscapeDataString(parse.GetValue(sessionId)!);
                var status = path.Length == 0
                    ? await ctx.Client.GetAsync<SessionStatusDto>($"/api/sessions/{escaped}", ct)
                    : await ctx.Client.PostAsync<SessionStatusDto>($"/api/sessions/{escaped}/{path}", null, ct);
                if (ctx.Json) ctx.WriteJson(status.Json);
                else ctx.Console.Write(StatusTable(status.Value));
            });

        var tail = new Command("tail", "Follow a running session live to its end; exit 0 when it completes, 1 when it fails or is cancelled")
            { sessionId }.WithAction(context, (ctx, parse, ct) => SessionTail.RunAsync(ctx, parse.GetValue(sessionId)!, ct));

        yield return new Command("sessions", "Sessions: start, list, inspect, follow, answer, pause, resume, cancel")
        {
            start,
            List(context),
            Show(context, sessionId),
            tail,
            SessionAnswers.Create(context, sessionId),
            Lifecycle("pause", "Stop new dispatches; tasks in flight finish", "pause"),
            Lifecycle("resume", "Dispatch again", "resume"),
            Lifecycle("cancel", "End the session and cancel generation in flight", "cancel"),
        };

    }

    private static Command Show(Func<CliContext> context, Argument<string> sessionId) =>
        new Command("show", "Show a session's status and every task of its DAG") { sessionId }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.GetAsync<SessionDetailDto>($"/api/sessions/{Uri.EscapeDataString(parse.GetValue(sessionId)!)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var d = reply.Value;
            ctx.Console.Write(StatusTable(new SessionStatusDto(d.SessionId, d.Lifecycle, d.Template, d.Iteration, d.TotalTasks, d.Succeeded,
                d.Failed, d.Skipped, d.InFlight, d.TokensUsed, d.BestScore, d.EndReason, d.AwaitingAnswer)));
            if (d.Tasks.Count == 0)
                return;
            var tasks = new Table().Title("Tasks").AddColumns("Task", "Role", "State", "Attempt", "Failures", "Agent", "Model", "Depends on", "Output or last error");
            foreach (var t in d.Tasks)
                tasks.AddRow(
                    Markup.Escape(t.Id),
                    Markup.Escape(t.AgentRole),
                    TaskState(ApiJson.Name(t.State)),
                    t.Attempt.ToString(CultureInfo.InvariantCulture),
                    t.Failures.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(t.Agent ?? ""),
                    Markup.Escape(t.Model ?? ""),
                    Markup.Escape(string.Join(", ", t.DependsOn)),
                    Markup.Escape(OneLine(t.LastError is { Length: > 0 } error && t.State != TaskStateDto.Succeeded ? error : t.Output ?? "")));
            ctx.Console.Write(tasks);
            SessionAnswers.WriteQuestions(ctx, d.SessionId, d.Tasks);
        });

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string TaskState(string state) => state switch
    {
        "succeeded" => "[green]succeeded[/]",
        "failed" => "[red]failed[/]",
        "dispatched" or "retry_waiting" or "waiting" => $"[yellow]{state}[/]",
        _ => Markup.Escape(state),
    };

    private static Command List(Func<CliContext> context)
    {
        var status = CheckedOptions.OneOf("--status", "Only sessions in this lifecycle", "running", "paused", "completed", "failed", "cancelled");
        var template = new Option<string?>("--template") { Description = "Only sessions of this template" };
        var limit = CheckedOptions.WholeNumber("--limit", "At most this many sessions (the node's default when absent)", 1, int.MaxValue);
        var after = new Option<string?>("--after") { Description = "Continue after this cursor (printed by the previous page)" };
        return new Command("list", "List sessions, most recent first, a page at a time") { status, template, limit, after }.WithAction(context, async (ctx, parse, ct) =>
        {
            var query = new StringBuilder("/api/sessions");
            var separator = '?';
            void Add(string key, string? value)
            {
                if (value is null) return;
                query.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
            Add("lifecycle", parse.GetValue(status));
            Add("template", parse.GetValue(template));
            Add("limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            Add("after", parse.GetValue(after));
            var reply = await ctx.Client.GetAsync<SessionPageDto>(query.ToString(), ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var page = reply.Value;
            var table = new Table().AddColumns("Session", "Template", "Lifecycle", "Iteration", "Best score", "Created", "Updated", "End reason");
            foreach (var s in page.Sessions)
                table.AddRow(
                    Markup.Escape(s.SessionId ?? ""),
                    Markup.Escape(s.Template ?? ""),
                    Lifecycle(ApiJson.Name(s.Lifecycle)),
                    Markup.Escape(s.Iteration.ToString(CultureInfo.InvariantCulture)),
                    s.BestScore?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape(Time(s.CreatedAt)),
                    Markup.Escape(Time(s.UpdatedAt)),
                    Markup.Escape(s.EndReason ?? ""));
            ctx.Console.Write(table);
            if (page.Next is { } next)
            {
                // The next page's command, runnable as it is: this node, the same filters and page size, the cursor.
                var command = new List<string> { "orch", ctx.Client.Address.ToString(), "sessions", "list" };
                void Keep(string option, string? value)
                {
                    if (value is not null) command.AddRange([option, value]);
                }
                Keep("--status", parse.GetValue(status));
                Keep("--template", parse.GetValue(template));
                Keep("--limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
                Keep("--after", next);
                ctx.Console.MarkupLine($"More: [blue]{Markup.Escape(ShellQuote.Join(command))}[/]");
            }
        });
    }

    /// <summary>A time as <c>orch</c> prints it: local, to the second.</summary>
    internal static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Lifecycle(string lifecycle) => lifecycle switch
    {
        "completed" => "[green]completed[/]",
        "failed" or "cancelled" => $"[red]{lifecycle}[/]",
        "running" or "paused" => $"[yellow]{lifecycle}[/]",
        _ => Markup.Escape(lifecycle),
    };

    /// <summary>A session's figures as a two-column table (what pause, resume, cancel and answer print).</summary>
    internal static Table StatusTable(SessionStatusDto s)
    {
        var table = new Table().AddColumns("Field", "Value").HideHeaders();
        var rows = new (string Name, object? Value)[]
        {
            ("sessionId", s.SessionId), ("template", s.Template), ("lifecycle", ApiJson.Name(s.Lifecycle)), ("iteration", s.Iteration),
            ("totalTasks", s.TotalTasks), ("succeeded", s.Succeeded), ("failed", s.Failed), ("skipped", s.Skipped), ("inFlight", s.InFlight),
            ("tokensUsed", s.TokensUsed), ("bestScore", s.BestScore), ("endReason", s.EndReason),
            ("awaitingAnswer", s.AwaitingAnswer > 0 ? $"{s.AwaitingAnswer} waiting for an answer" : null),
        };
        foreach (var (name, value) in rows)
            if (value is not null)
                table.AddRow(Markup.Escape(name), Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        return table;
    }
}
