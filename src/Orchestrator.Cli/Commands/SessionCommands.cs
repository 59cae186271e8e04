using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>sessions start|show|pause|resume|cancel</c> and <c>templates list</c>.</summary>
internal static class SessionCommands
{
    public static IEnumerable<Command> Create(Func<CliContext> context)
    {
        var template = new Argument<string>("template") { Description = "The workflow template, e.g. manuscript-review" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An input as NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = true };
        var id = new Option<string?>("--id") { Description = "The session id (made up when absent)" };
        var start = new Command("start", "Start a session from a template") { template, inputs, id }.WithAction(context, async (ctx, parse, ct) =>
        {
            var values = new Dictionary<string, string>();
            foreach (var pair in parse.GetValue(inputs) ?? [])
            {
                var at = pair.IndexOf('=');
                if (at <= 0)
                    throw new Client.NodeProblemException(400, "Bad input", $"'{pair}' is not NAME=VALUE.");
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

        yield return new Command("sessions", "Sessions: start, inspect, pause, resume, cancel")
        {
            start,
            Lifecycle("show", "Show a session's status", ""),
            Lifecycle("pause", "Stop new dispatches; tasks in flight finish", "pause"),
            Lifecycle("resume", "Dispatch again", "resume"),
            Lifecycle("cancel", "End the session and cancel generation in flight", "cancel"),
        };

        var list = new Command("list", "List the workflow templates the node serves").WithAction(context, async (ctx, _, ct) =>
        {
            var templates = await ctx.Client.GetAsync("/api/templates", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(templates);
                return;
            }
            var table = new Table().AddColumns("Template", "Nodes", "Extends", "Description");
            foreach (var t in templates.EnumerateArray())
                table.AddRow(
                    Markup.Escape(t.GetProperty("name").GetString()!),
                    t.GetProperty("nodes").GetInt32().ToString(),
                    Markup.Escape(t.GetProperty("extends").GetString() ?? ""),
                    Markup.Escape(t.GetProperty("description").GetString() ?? ""));
            ctx.Console.Write(table);
        });
        yield return new Command("templates", "Workflow templates") { list };
    }

    private static Table StatusTable(JsonElement s)
    {
        var table = new Table().AddColumns("Field", "Value").HideHeaders();
        foreach (var name in new[] { "sessionId", "template", "lifecycle", "iteration", "totalTasks", "succeeded", "failed", "skipped", "inFlight", "tokensUsed", "bestScore", "endReason" })
            if (s.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString()));
        return table;
    }
}
