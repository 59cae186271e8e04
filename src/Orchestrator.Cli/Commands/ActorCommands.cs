using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>actor hierarchy -d N</c>: the node's actor tree with mailbox depths.</summary>
internal static class ActorCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var depth = new Option<int>("--depth", "-d") { Description = "How many levels to show (1-32)", DefaultValueFactory = _ => 3 };
        var hierarchy = new Command("hierarchy", "Show the actor tree with mailbox depths") { depth }.WithAction(context, async (ctx, parse, ct) =>
        {
            var tree = await ctx.Client.GetAsync($"/api/actors?depth={parse.GetValue(depth)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(tree);
                return;
            }
            var root = new Tree(Markup.Escape(tree.GetProperty("node").GetString()!));
            foreach (var actor in tree.GetProperty("roots").EnumerateArray())
                Add(root.AddNode(Label(actor)), actor);
            ctx.Console.Write(root);
        });
        return new Command("actor", "Actors of the node") { hierarchy };
    }

    private static void Add(TreeNode parent, JsonElement actor)
    {
        foreach (var child in actor.GetProperty("children").EnumerateArray())
            Add(parent.AddNode(Label(child)), child);
    }

    private static string Label(JsonElement actor)
    {
        var path = actor.GetProperty("path").GetString()!;
        var name = path[(path.LastIndexOf('/') + 1)..];
        var mailbox = actor.GetProperty("mailboxDepth").GetInt32();
        var children = actor.GetProperty("childCount").GetInt32();
        var shown = actor.GetProperty("children").GetArrayLength();
        return $"{Markup.Escape(name)} [grey]{Markup.Escape(actor.GetProperty("type").GetString()!)}[/]"
               + (mailbox > 0 ? $" [yellow]mailbox {mailbox}[/]" : "")
               + (children > shown ? $" [grey](+{children} children)[/]" : "");
    }
}
