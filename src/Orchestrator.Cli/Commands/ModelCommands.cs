using System.CommandLine;
using System.Globalization;
using Orchestrator.Api.Contracts.Models;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>models list</c> and <c>models stats NAME</c>: the models a node serves and what one is doing now.</summary>
internal static class ModelCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var list = new Command("list", "List the models this node serves").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.GetAsync<ModelListDto>("/api/models", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var models = reply.Value.Models;
            if (models.Count == 0)
            {
                ctx.Console.MarkupLine("No models are configured (orchestrator.llm.models).");
                return;
            }
            var table = new Table().AddColumns("Model", "State", "Loaded", "Native", "Context", "Sequences", "Threads", "Path", "Reason");
            foreach (var m in models)
                table.AddRow(
                    Markup.Escape(m.Name),
                    m.State switch
                    {
                        "serving" => "[green]serving[/]",
                        "failed" => "[red]failed[/]",
                        null => "-",
                        var other => $"[yellow]{Markup.Escape(other)}[/]",
                    },
                    m.Loaded ? "[green]yes[/]" : "[yellow]no[/]",
                    Markup.Escape(m.NativeVariant ?? "-"),
                    m.ContextSize.ToString(CultureInfo.InvariantCulture),
                    m.Sequences.ToString(CultureInfo.InvariantCulture),
                    m.Threads.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(m.Path),
                    Markup.Escape(m.Reason ?? ""));
            ctx.Console.Write(table);
        });

        var name = new Argument<string>("name") { Description = "The model, as named under orchestrator.llm.models" };
        var stats = new Command("stats", "Show a model's queue, active sequences, tokens/s and requests") { name }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.GetAsync<ModelStatsDto>($"/api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/stats", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var s = reply.Value;
            static string N(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
            var table = new Table().AddColumns("Field", "Value").HideHeaders()
                .AddRow("model", Markup.Escape(s.Model))
                .AddRow("loaded", s.Loaded ? "[green]yes[/]" : "[yellow]no[/]")
                .AddRow("native variant", Markup.Escape(s.NativeVariant ?? "-"))
                .AddRow("queue length", N(s.QueueLength))
                .AddRow("active sequences", $"{N(s.ActiveSequences)} of {N(s.Sequences)}")
                .AddRow("tokens/s", $"{s.TokensPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} (last {N(s.RateWindowSeconds)} s)")
                .AddRow("tokens generated", N(s.TokensGenerated))
                .AddRow("requests served", N(s.RequestsServed))
                .AddRow("requests failed", N(s.RequestsFailed))
                .AddRow("requests refused (queue full)", N(s.RequestsRejected));
            ctx.Console.Write(table);
        });
        return new Command("models", "Models served by this node") { list, stats };
    }
}
