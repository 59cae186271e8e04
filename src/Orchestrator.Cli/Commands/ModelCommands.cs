using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>models list</c> and <c>models stats NAME</c>: the models a node serves and what one is doing now.</summary>
internal static class ModelCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var list = new Command("list", "List the models this node serves").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.GetAsync("/api/models", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply);
                return;
            }
            var models = reply.GetProperty("models").EnumerateArray().ToList();
            if (models.Count == 0)
            {
                ctx.Console.MarkupLine("No models are configured (orchestrator.llm.models).");
                return;
            }
            var table = new Table().AddColumns("Model", "Loaded", "Context", "Sequences", "Threads", "Path");
            foreach (var m in models)
                table.AddRow(
                    Markup.Escape(m.GetProperty("name").GetString()!),
                    m.GetProperty("loaded").GetBoolean() ? "[green]yes[/]" : "[yellow]no[/]",
                    m.GetProperty("contextSize").GetInt32().ToString(CultureInfo.InvariantCulture),
                    m.GetProperty("sequences").GetInt32().ToString(CultureInfo.InvariantCulture),
                    m.GetProperty("threads").GetInt32().ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(m.GetProperty("path").GetString()!));
            ctx.Console.Write(table);
        });

        var name = new Argument<string>("name") { Description = "The model, as named under orchestrator.llm.models" };
        var stats = new Command("stats", "Show a model's queue, active sequences, tokens/s and requests") { name }.WithAction(context, async (ctx, parse, ct) =>
        {
            var s = await ctx.Client.GetAsync($"/api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/stats", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(s);
                return;
            }
            string N(string field) => s.GetProperty(field).ToString();
            var table = new Table().AddColumns("Field", "Value").HideHeaders()
                .AddRow("model", Markup.Escape(N("model")))
                .AddRow("loaded", s.GetProperty("loaded").GetBoolean() ? "[green]yes[/]" : "[yellow]no[/]")
                .AddRow("queue length", N("queueLength"))
                .AddRow("active sequences", $"{N("activeSequences")} of {N("sequences")}")
                .AddRow("tokens/s", $"{s.GetProperty("tokensPerSecond").GetDouble().ToString("0.0", CultureInfo.InvariantCulture)} (last {N("rateWindowSeconds")} s)")
                .AddRow("tokens generated", N("tokensGenerated"))
                .AddRow("requests served", N("requestsServed"))
                .AddRow("requests failed", N("requestsFailed"))
                .AddRow("requests refused (queue full)", N("requestsRejected"));
            ctx.Console.Write(table);
        });
        return new Command("models", "Models served by this node") { list, stats };
    }
}
