using System.CommandLine;
using Orchestrator.Api.Contracts.Diagnostics;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>journal events PERSISTENCE-ID</c>: what the journal holds for one persistent actor.</summary>
internal static class JournalCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var id = new Argument<string>("persistence-id") { Description = "The persistence id, e.g. session-42" };
        var from = CheckedOptions.WholeNumber("--from", "First sequence number", 0L, long.MaxValue, 1L);
        var max = CheckedOptions.WholeNumber("--max", "At most this many events (1-10000)", 1, 10000, 100);
        var events = new Command("events", "List the journal's events of a persistence id") { id, from, max }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.GetAsync<JournalPageDto>(
                $"/api/journal/{Uri.EscapeDataString(parse.GetValue(id)!)}?from={parse.GetValue(from)}&max={parse.GetValue(max)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var table = new Table().AddColumns("Seq", "Written (UTC)", "Manifest", "Event");
            foreach (var e in reply.Value.Events)
                table.AddRow(
                    e.SequenceNr.ToString(),
                    Markup.Escape(e.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff")),
                    Markup.Escape(e.Manifest),
                    Markup.Escape(Shorten(e.Event?.ToString() ?? "", 100)));
            ctx.Console.Write(table);
        });
        return new Command("journal", "The event journal") { events };
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
