using System.CommandLine;
using System.Globalization;
using Orchestrator.Api.Contracts.Diagnostics;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>actor hierarchy -d N</c>: the node's actor tree with mailbox depths.</summary>
internal static class ActorCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var depth = CheckedOptions.WholeNumber("--depth", "How many levels to show (1-32)", 1, 32, 3, "-d");
        var hierarchy = new Command("hierarchy", "Show the actor tree with mailbox depths") { depth }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.GetAsync<ActorHierarchyDto>($"/api/actors?depth={parse.GetValue(depth)}", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var root = new Tree(Markup.Escape(reply.Value.Node));
            foreach (var actor in reply.Value.Roots)
                Add(root.AddNode(Label(actor)), actor);
            ctx.Console.Write(root);
        });
        return new Command("actor", "Actors of the node") { hierarchy };
    }

    private static void Add(TreeNode parent, ActorNodeDto actor)
    {
        foreach (var child in actor.Children)
            Add(parent.AddNode(Label(child)), child);
    }

    private static string Label(ActorNodeDto actor)
    {
        var name = actor.Path[(actor.Path.LastIndexOf('/') + 1)..];
        var shown = actor.Children.Count;
        return $"{Markup.Escape(name)} [grey]{Markup.Escape(actor.Type)}[/]"
               + (actor.MailboxDepth > 0 ? $" [yellow]mailbox {actor.MailboxDepth.ToString(CultureInfo.InvariantCulture)}[/]" : "")
               + (actor.ChildCount > shown ? $" [grey](+{actor.ChildCount.ToString(CultureInfo.InvariantCulture)} children)[/]" : "");
    }
}
