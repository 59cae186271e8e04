using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>lessons list|search|delete</c>: what the node's agents learned.</summary>
internal static class LessonCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var kind = new Option<string?>("--kind", "-k") { Description = "Only lessons of this kind of task" };
        var limit = new Option<int?>("--limit") { Description = "At most this many lessons, 1 to 1000 (100 when absent)" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 1000) r.AddError("--limit must be between 1 and 1000.");
        });
        var list = new Command("list", "List lessons, newest first") { kind, limit }.WithAction(context, async (ctx, parse, ct) =>
        {
            var query = new List<string>();
            if (parse.GetValue(kind) is { } k) query.Add($"kind={Uri.EscapeDataString(k)}");
            if (parse.GetValue(limit) is { } n) query.Add($"limit={n.ToString(CultureInfo.InvariantCulture)}");
            var reply = await ctx.Client.GetAsync("/api/lessons" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply);
                return;
            }
            var lessons = reply.GetProperty("lessons").EnumerateArray().ToList();
            if (lessons.Count == 0)
            {
                ctx.Console.MarkupLine("No lessons learned yet.");
                return;
            }
            ctx.Console.Write(Table(lessons, scored: false));
            var total = reply.GetProperty("total").GetInt32();
            if (total > lessons.Count) ctx.Console.MarkupLine($"{lessons.Count} of {total} lessons.");
        });

        var text = new Argument<string>("text") { Description = "What the task is about" };
        var searchKind = new Option<string?>("--kind", "-k") { Description = "Rank as for a task of this kind (its lessons always count)" };
        var search = new Command("search", "The lessons most relevant to a text, best first") { text, searchKind }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var path = $"/api/lessons/search?q={Uri.EscapeDataString(parse.GetValue(text)!)}" +
                           (parse.GetValue(searchKind) is { } k ? $"&kind={Uri.EscapeDataString(k)}" : "");
                var reply = await ctx.Client.GetAsync(path, ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(reply);
                    return;
                }
                var lessons = reply.GetProperty("lessons").EnumerateArray().ToList();
                if (lessons.Count == 0) ctx.Console.MarkupLine("No lesson is relevant.");
                else ctx.Console.Write(Table(lessons, scored: true));
            });

        var id = new Argument<string>("id") { Description = "The lesson's id (lesson-N)" };
        var delete = new Command("delete", "Delete a lesson") { id }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.DeleteAsync($"/api/lessons/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (ctx.Json) ctx.WriteJson(reply);
            else ctx.Console.MarkupLine($"Deleted lesson [green]{Markup.Escape(Text(reply, "deleted"))}[/]");
        });

        return new Command("lessons", "Lessons agents learned: list, search, delete") { list, search, delete };
    }

    private static Table Table(IEnumerable<JsonElement> lessons, bool scored)
    {
        var table = new Table().AddColumns("Id", "Kind");
        if (scored) table.AddColumn("Score");
        table.AddColumns("What went wrong", "What fixed it", "Trigger", "Learned");
        foreach (var l in lessons)
        {
            var cells = new List<string> { Markup.Escape(Text(l, "id")), Markup.Escape(Text(l, "taskKind")) };
            if (scored) cells.Add(l.GetProperty("score").GetDouble().ToString("0.00", CultureInfo.InvariantCulture));
            cells.Add(Markup.Escape(Text(l, "whatWentWrong")));
            cells.Add(Markup.Escape(Text(l, "whatFixedIt")));
            cells.Add(Markup.Escape(Text(l, "trigger")));
            cells.Add(l.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var t)
                ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "");
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";
}
