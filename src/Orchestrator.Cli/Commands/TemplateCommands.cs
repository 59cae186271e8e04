using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Templates;
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
            var templates = await ctx.Client.GetAsync<IReadOnlyList<TemplateSummaryDto>>("/api/templates", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(templates.Json);
                return;
            }
            var table = new Table().AddColumns("Template", "Nodes", "Extends", "Description");
            foreach (var t in templates.Value)
                table.AddRow(
                    Markup.Escape(t.Name),
                    t.Nodes.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(t.Extends ?? ""),
                    Markup.Escape(t.Description ?? ""));
            ctx.Console.Write(table);
        });

        var name = new Argument<string>("name") { Description = "The template, e.g. manuscript-review" };
        var show = new Command("show", "Show a template resolved: variables, settings, nodes and dependencies") { name }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.GetAsync<TemplateDto>($"/api/templates/{Uri.EscapeDataString(parse.GetValue(name)!)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var t = reply.Value;
            ctx.Console.MarkupLine($"[bold]{Markup.Escape(t.Name)}[/]" +
                                   $" [grey]({Markup.Escape(string.Join(" → ", t.Lineage))})[/]" +
                                   (t.Abstract ? " [yellow]abstract[/]" : ""));
            if (t.Description is { Length: > 0 } description)
                ctx.Console.MarkupLine(Markup.Escape(description));

            var variables = new Table().Title("Variables").AddColumns("Name", "Required", "Default", "Description");
            foreach (var v in t.Variables)
                variables.AddRow(Markup.Escape(v.Name), v.Required ? "yes" : "", Markup.Escape(v.Default ?? ""), Markup.Escape(v.Description ?? ""));
            ctx.Console.Write(variables);

            // Each setting by its wire name, with its value as the node writes it (the context as JSON), durations made readable.
            var settings = new Table().Title("Settings").AddColumns("Setting", "Value");
            foreach (var s in JsonSerializer.SerializeToElement(t.Settings, ApiJson.Options).EnumerateObject())
                settings.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Value.ValueKind switch
                {
                    JsonValueKind.Null => "",
                    JsonValueKind.String => Durations.Readable(s.Value.GetString()!),
                    _ => s.Value.ToString(),
                }));
            ctx.Console.Write(settings);

            var nodes = new Table().Title("Nodes").AddColumns("Node", "Role", "Depends on", "Priority", "Retries", "Phase");
            foreach (var n in t.Nodes)
                nodes.AddRow(
                    Markup.Escape(n.Id),
                    Markup.Escape(n.Role),
                    Markup.Escape(string.Join(", ", n.DependsOn)),
                    n.Priority.ToString(CultureInfo.InvariantCulture),
                    n.Retries.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(n.Phase ?? ""));
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
                var reply = await ctx.Client.PostTextAsync<TemplateValidationDto>("/api/templates/validate",
                    await File.ReadAllTextAsync(path.FullName, ct), ct);
                var check = reply.Value;
                var valid = check.Valid;
                if (ctx.Json)
                    ctx.WriteJson(reply.Json);
                else if (valid)
                    ctx.Console.MarkupLine($"[green]{Markup.Escape(path.Name)}: template '{Markup.Escape(check.Template ?? "")}' is valid.[/]");
                else
                {
                    ctx.Console.MarkupLine($"[red]{Markup.Escape(path.Name)}: {check.Problems.Count} problem(s)[/]");
                    foreach (var p in check.Problems)
                    {
                        var line = p.Line is { } at ? $"{path.Name}:{at.ToString(CultureInfo.InvariantCulture)}: " : "";
                        ctx.Console.MarkupLine(Markup.Escape($"{line}{p.Code}: {p.Message}"));
                    }
                }
                return valid ? ExitCodes.Ok : ExitCodes.Failed;
            });
        return new Command("templates", "Workflow templates") { list, show, validate };
    }
}
