using System.CommandLine;
using Orchestrator.Api.Contracts.Cluster;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>cluster show</c>, <c>cluster leave</c>, <c>cluster down-unreachable</c>: pbm's cluster palette. Under its
/// table, <c>cluster show</c> says whether this node is ready and, when it is not, why.</summary>
internal static class ClusterCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var show = new Command("show", "Show the cluster's members as this node sees them").WithAction(context, async (ctx, _, ct) =>
        {
            var state = await ctx.Client.GetAsync<ClusterStateDto>("/api/cluster", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(state.Json);
                return;
            }
            var table = new Table().AddColumns("Address", "Status", "Roles", "Reachable", "Leader");
            foreach (var m in state.Value.Members)
            {
                table.AddRow(
                    Markup.Escape(m.IsSelf ? $"{m.Address} (this node)" : m.Address),
                    Status(m.Status),
                    Markup.Escape(string.Join(", ", m.Roles)),
                    m.Reachable ? "[green]yes[/]" : "[red]no[/]",
                    m.IsLeader ? "*" : "");
            }
            ctx.Console.Write(table);
            var readiness = await ctx.Client.GetReadinessAsync(ct);
            ctx.Console.MarkupLine(readiness.IsReady
                ? "This node is [green]ready[/]."
                : $"This node is [red]not ready[/]: {Markup.Escape(readiness.Detail)}");
        });

        var leave = new Command("leave", "Make this node leave the cluster gracefully").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.PostAsync<LeavingDto>("/api/cluster/leave", null, ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLine($"Leaving: [yellow]{Markup.Escape(reply.Value.Leaving)}[/]");
        });

        var down = new Command("down-unreachable", "Down every member this node sees as unreachable").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.PostAsync<DownedDto>("/api/cluster/down-unreachable", null, ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var downed = reply.Value.Downed;
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
