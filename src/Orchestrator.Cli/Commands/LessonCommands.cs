using System.CommandLine;
using System.Globalization;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Lessons;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>lessons list|search|delete</c>: what the node's agents learned.</summary>
internal static class LessonCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var kind = new Option<string?>("--kind", "-k") { Description = "Only lessons of this kind of task" };
        var limit = CheckedOptions.WholeNumber("--limit", "At most this many lessons, 1 to 1000 (100 when absent)", 1, 1000);
        var list = new Command("list", "List lessons, newest first") { kind, limit }.WithAction(context, async (ctx, parse, ct) =>
        {
            var query = new List<string>();
            if (parse.GetValue(kind) is { } k) query.Add($"kind={Uri.EscapeDataString(k)}");
            if (parse.GetValue(limit) is { } n) query.Add($"limit={n.ToString(CultureInfo.InvariantCulture)}");
            var reply = await ctx.Client.GetAsync<LessonListDto>("/api/lessons" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var lessons = reply.Value.Lessons;
            if (lessons.Count == 0)
            {
                ctx.Console.MarkupLine("No lessons learned yet.");
                return;
            }
            ctx.Console.Write(Table(lessons.Select(l => new Row(l.Id, l.TaskKind, null, l.WhatWentWrong, l.WhatFixedIt, l.Trigger, l.At)), scored: false));
            var total = reply.Value.Total;
            if (total > lessons.Count) ctx.Console.MarkupLine($"{lessons.Count} of {total} lessons.");
        });

        var text = new Argument<string>("text") { Description = "What the task is about" };
        var searchKind = new Option<string?>("--kind", "-k") { Description = "Rank as for a task of this kind (its lessons always count)" };
        var search = new Command("search", "The lessons most relevant to a text, best first") { text, searchKind }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var path = $"/api/lessons/search?q={Uri.EscapeDataString(parse.GetValue(text)!)}" +
                           (parse.GetValue(searchKind) is { } k ? $"&kind={Uri.EscapeDataString(k)}" : "");
                var reply = await ctx.Client.GetAsync<LessonSearchDto>(path, ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(reply.Json);
                    return;
                }
                var lessons = reply.Value.Lessons;
                if (lessons.Count == 0) ctx.Console.MarkupLine("No lesson is relevant.");
                else ctx.Console.Write(Table(lessons.Select(l => new Row(l.Id, l.TaskKind, l.Score, l.WhatWentWrong, l.WhatFixedIt, l.Trigger, l.At)),
                    scored: true));
            });

        var id = new Argument<string>("id") { Description = "The lesson's id (lesson-N)" };
        var delete = new Command("delete", "Delete a lesson") { id }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.DeleteAsync<DeletedDto>($"/api/lessons/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLine($"Deleted lesson [green]{Markup.Escape(reply.Value.Deleted ?? "")}[/]");
        });

        return new Command("lessons", "Lessons agents learned: list, search, delete") { list, search, delete };
    }

    /// <summary>A lesson as a row of the table: a listed one has no score, a found one has.</summary>
    private sealed record Row(string? Id, string? TaskKind, double? Score, string? WhatWentWrong, string? WhatFixedIt, string? Trigger, DateTimeOffset At);

    private static Table Table(IEnumerable<Row> lessons, bool scored)
    {
        var table = new Table().AddColumns("Id", "Kind");
        if (scored) table.AddColumn("Score");
        table.AddColumns("What went wrong", "What fixed it", "Trigger", "Learned");
        foreach (var l in lessons)
        {
            var cells = new List<string> { Markup.Escape(l.Id ?? ""), Markup.Escape(l.TaskKind ?? "") };
            if (scored) cells.Add((l.Score ?? 0).ToString("0.00", CultureInfo.InvariantCulture));
            cells.Add(Markup.Escape(l.WhatWentWrong ?? ""));
            cells.Add(Markup.Escape(l.WhatFixedIt ?? ""));
            cells.Add(Markup.Escape(l.Trigger ?? ""));
            cells.Add(l.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }
        return table;
    }
}
