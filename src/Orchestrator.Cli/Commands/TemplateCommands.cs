using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>templates list|show NAME|validate FILE</c>: the workflow templates a node serves, one resolved, and the
/// node's check of a local template file (whose text is sent; the node never reads a path).</summary>
internal static class TemplateCommands
{
    public static Command Create(Func<CliContext> context)
    {
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

        var name = new Argument<string>("name") { Description = "The template, e.g. manuscript-review" };
        var show = new Command("show", "Show a template resolved: variables, settings, nodes and dependencies") { name }.WithAction(context, async (ctx, parse, ct) =>
        {
            var t = await ctx.Client.GetAsync($"/api/templates/{Uri.EscapeDataString(parse.GetValue(name)!)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(t);
                return;
            }
            ctx.Console.MarkupLine($"[bold]{Markup.Escape(t.GetProperty("name").GetString()!)}[/]" +
                                   $" [grey]({Markup.Escape(string.Join(" → ", t.GetProperty("lineage").EnumerateArray().Select(l => l.GetString())))})[/]" +
                                   (t.GetProperty("abstract").GetBoolean() ? " [yellow]abstract[/]" : ""));
            if (t.GetProperty("description").GetString() is { Length: > 0 } description)
                ctx.Console.MarkupLine(Markup.Escape(description));

            var variables = new Table().Title("Variables").AddColumns("Name", "Required", "Default", "Description");
            foreach (var v in t.GetProperty("variables").EnumerateArray())
                variables.AddRow(Markup.Escape(v.GetProperty("name").GetString()!), v.GetProperty("required").GetBoolean() ? "yes" : "",
                    Markup.Escape(v.GetProperty("default").GetString() ?? ""), Markup.Escape(v.GetProperty("description").GetString() ?? ""));
            ctx.Console.Write(variables);

            var settings = new Table().Title("Settings").AddColumns("Setting", "Value");
            foreach (var s in t.GetProperty("settings").EnumerateObject())
                settings.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Value.ValueKind == JsonValueKind.Null ? "" : s.Value.ToString()));
            ctx.Console.Write(settings);

            var nodes = new Table().Title("Nodes").AddColumns("Node", "Role", "Depends on", "Priority", "Retries", "Phase");
            foreach (var n in t.GetProperty("nodes").EnumerateArray())
                nodes.AddRow(
                    Markup.Escape(n.GetProperty("id").GetString()!),
                    Markup.Escape(n.GetProperty("role").GetString()!),
                    Markup.Escape(string.Join(", ", n.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()))),
                    n.GetProperty("priority").ToString(),
                    n.GetProperty("retries").ToString(),
                    Markup.Escape(n.GetProperty("phase").GetString() ?? ""));
            ctx.Console.Write(nodes);
        });

        var file = new Argument<FileInfo>("file") { Description = "A template file (HOCON), e.g. config/workflows/my-review.conf" };
        var validate = new Command("validate", "Check a local template file against the node's templates; exit 1 when it has problems") { file }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    ctx.Errors.MarkupLine($"[red]No file '{Markup.Escape(path.FullName)}'.[/]");
                    return ExitCodes.Usage;
                }
                var reply = await ctx.Client.PostTextAsync("/api/templates/validate", await File.ReadAllTextAsync(path.FullName, ct), ct);
                var valid = reply.GetProperty("valid").GetBoolean();
                if (ctx.Json)
                    ctx.WriteJson(reply);
                else if (valid)
                    ctx.Console.MarkupLine($"[green]{Markup.Escape(path.Name)}: template '{Markup.Escape(reply.GetProperty("template").GetString() ?? "")}' is valid.[/]");
                else
                {
                    var problems = reply.GetProperty("problems").EnumerateArray().ToList();
                    ctx.Console.MarkupLine($"[red]{Markup.Escape(path.Name)}: {problems.Count} problem(s)[/]");
                    foreach (var p in problems)
                    {
                        var line = p.GetProperty("line").ValueKind == JsonValueKind.Number ? $"{path.Name}:{p.GetProperty("line").GetInt32()}: " : "";
                        ctx.Console.MarkupLine(Markup.Escape($"{line}{p.GetProperty("code").GetString()}: {p.GetProperty("message").GetString()}"));
                    }
                }
                return valid ? ExitCodes.Ok : ExitCodes.Failed;
            });
        return new Command("templates", "Workflow templates") { list, show, validate };
    }
}
