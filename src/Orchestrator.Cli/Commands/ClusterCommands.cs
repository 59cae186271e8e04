using System.CommandLine;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>cluster show</c>, <c>cluster leave</c>, <c>cluster down-unreachable</c>: pbm's cluster palette.</summary>
internal static class ClusterCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var show = new Command("show", "Show the cluster's members as this node sees them").WithAction(context, async (ctx, _, ct) =>
        {
            var state = await ctx.Client.GetAsync("/api/cluster", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(state);
                return;
            }
            var table = new Table().AddColumns("Address", "Status", "Roles", "Reachable", "Leader");
            foreach (var m in state.GetProperty("members").EnumerateArray())
            {
                var address = m.GetProperty("address").GetString()!;
                table.AddRow(
                    Markup.Escape(m.GetProperty("isSelf").GetBoolean() ? $"{address} (this node)" : address),
                    Status(m.GetProperty("status").GetString()!),
                    Markup.Escape(string.Join(", ", m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))),
                    m.GetProperty("reachable").GetBoolean() ? "[green]yes[/]" : "[red]no[/]",
                    m.GetProperty("isLeader").GetBoolean() ? "*" : "");
            }
            ctx.Console.Write(table);
        });

        var leave = new Command("leave", "Make this node leave the cluster gracefully").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.PostAsync("/api/cluster/leave", null, ct);
            if (ctx.Json) ctx.WriteJson(reply);
            else ctx.Console.MarkupLine($"Leaving: [yellow]{Markup.Escape(reply.GetProperty("leaving").GetString()!)}[/]");
        });

        var down = new Command("down-unreachable", "Down every member this node sees as unreachable").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.PostAsync("/api/cluster/down-unreachable", null, ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply);
                return;
            }
            var downed = reply.GetProperty("downed").EnumerateArray().Select(a => a.GetString()!).ToList();
            ctx.Console.MarkupLine(downed.Count == 0 ? "No unreachable members." : $"Downed: {Markup.Escape(string.Join(", ", downed))}");
        });

        return new Command("cluster", "Cluster membership") { show, leave, down };
    }

    private static string Status(string status) => status switch
    {
        "Up" => "[green]Up[/]",
        "Joining" or "WeaklyUp" => $"[yellow]{status}[/]",
        _ => $"[red]{Markup.Escape(status)}[/]",
    };
}
