using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>config show [SECTION]</c>: the node's resolved configuration, secrets redacted by the node.</summary>
internal static class ConfigCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var section = new Argument<string>("section") { Description = "A section such as orchestrator or akka.cluster", DefaultValueFactory = _ => "orchestrator" };
        var show = new Command("show", "Show the resolved configuration (secrets redacted)") { section }.WithAction(context, async (ctx, parse, ct) =>
        {
            var name = parse.GetValue(section)!;
            // The configuration is a free-form tree (the node's HOCON as JSON): it has no contract record.
            var tree = await ctx.Client.GetAsync<JsonElement>($"/api/config?section={Uri.EscapeDataString(name)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(tree.Json);
                return;
            }
            var root = new Tree(Markup.Escape(name));
            Add(root, tree.Json);
            ctx.Console.Write(root);
        });
        return new Command("config", "The node's configuration") { show };
    }

    private static void Add(IHasTreeNodes parent, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            parent.AddNode(Markup.Escape(value.ToString()));
            return;
        }
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
                Add(parent.AddNode($"[blue]{Markup.Escape(property.Name)}[/]"), property.Value);
            else
                parent.AddNode($"{Markup.Escape(property.Name)} = [green]{Markup.Escape(property.Value.ValueKind == JsonValueKind.Null ? "" : property.Value.ToString())}[/]");
        }
    }
}
