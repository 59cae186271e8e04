using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>sessions start|list|show|tail|pause|resume|cancel</c>.</summary>
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
            var reply = await ctx.Client.PostAsync("/api/sessions",
                new { template = parse.GetValue(template), inputs = values, id = parse.GetValue(id) }, ct);
            if (ctx.Json) ctx.WriteJson(reply);
            else ctx.Console.MarkupLine($"Started session [green]{Markup.Escape(reply.GetProperty("id").GetString()!)}[/]");
        });

        var sessionId = new Argument<string>("id") { Description = "The session id" };
        Command Lifecycle(string name, string description, string path) =>
            new Command(name, description) { sessionId }.WithAction(context, async (ctx, parse, ct) =>
            {
                var escaped = Uri.EscapeDataString(parse.GetValue(sessionId)!);
                var status = path.Length == 0
                    ? await ctx.Client.GetAsync($"/api/sessions/{escaped}", ct)
                    : await ctx.Client.PostAsync($"/api/sessions/{escaped}/{path}", null, ct);
                if (ctx.Json) ctx.WriteJson(status);
                else ctx.Console.Write(StatusTable(status));
            });

        var tail = new Command("tail", "Follow a running session live to its end; exit 0 when it completes, 1 when it fails or is cancelled")
            { sessionId }.WithAction(context, (ctx, parse, ct) => SessionTail.RunAsync(ctx, parse.GetValue(sessionId)!, ct));

        yield return new Command("sessions", "Sessions: start, list, inspect, follow, pause, resume, cancel")
        {
            start,
            List(context),
            Lifecycle("show", "Show a session's status", ""),
            tail,
            Lifecycle("pause", "Stop new dispatches; tasks in flight finish", "pause"),
            Lifecycle("resume", "Dispatch again", "resume"),
            Lifecycle("cancel", "End the session and cancel generation in flight", "cancel"),
        };

    }

    private static Command List(Func<CliContext> context)
    {
        var status = new Option<string?>("--status") { Description = "Only sessions in this lifecycle" };
        status.AcceptOnlyFromAmong("running", "paused", "completed", "failed", "cancelled");
        var template = new Option<string?>("--template") { Description = "Only sessions of this template" };
        var limit = new Option<int?>("--limit") { Description = "At most this many sessions (the node's default when absent)" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--limit must be at least 1.");
        });
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
            var page = await ctx.Client.GetAsync(query.ToString(), ct);
            if (ctx.Json)
            {
                ctx.WriteJson(page);
                return;
            }
            var table = new Table().AddColumns("Session", "Template", "Lifecycle", "Iteration", "Best score", "Created", "Updated", "End reason");
            foreach (var s in page.GetProperty("sessions").EnumerateArray())
                table.AddRow(
                    Markup.Escape(Text(s, "sessionId")),
                    Markup.Escape(Text(s, "template")),
                    Lifecycle(Text(s, "lifecycle")),
                    Markup.Escape(Text(s, "iteration")),
                    s.TryGetProperty("bestScore", out var score) && score.ValueKind == JsonValueKind.Number
                        ? score.GetDouble().ToString("0.00", CultureInfo.InvariantCulture) : "",
                    Markup.Escape(Time(s, "createdAt")),
                    Markup.Escape(Time(s, "updatedAt")),
                    Markup.Escape(Text(s, "endReason")));
            ctx.Console.Write(table);
            if (page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String)
                ctx.Console.MarkupLine($"More: [blue]orch sessions list --after {Markup.Escape(next.GetString()!)}[/]");
        });
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";

    private static string Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var at)
            ? at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : Text(e, name);

    private static string Lifecycle(string lifecycle) => lifecycle switch
    {
        "completed" => "[green]completed[/]",
        "failed" or "cancelled" => $"[red]{lifecycle}[/]",
        "running" or "paused" => $"[yellow]{lifecycle}[/]",
        _ => Markup.Escape(lifecycle),
    };

    private static Table StatusTable(JsonElement s)
    {
        var table = new Table().AddColumns("Field", "Value").HideHeaders();
        foreach (var name in new[] { "sessionId", "template", "lifecycle", "iteration", "totalTasks", "succeeded", "failed", "skipped", "inFlight", "tokensUsed", "bestScore", "endReason" })
            if (s.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString()));
        return table;
    }
}
