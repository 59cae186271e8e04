using System.CommandLine;
using Orchestrator.Api.Contracts.Cluster;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>cluster-sharding region-stats</c>, as in pbm: the <c>session</c> region of each node, its shards and the
/// sessions each shard holds.</summary>
internal static class ShardingCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var stats = new Command("region-stats", "Show the session shard region of each node: shards and entities").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.GetAsync<ShardingDto>("/api/cluster/sharding", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var sharding = reply.Value;
            var table = new Table().AddColumns("Region", "Shard", "Entities");
            foreach (var region in sharding.Regions)
            {
                var label = Markup.Escape(region.IsSelf ? $"{region.Address} (this node)" : region.Address);
                if (region.ShardStats.Count == 0)
                    table.AddRow(label, "[grey](none)[/]", "0");
                foreach (var shard in region.ShardStats)
                    table.AddRow(label, Markup.Escape(shard.ShardId), shard.Entities.ToString());
                foreach (var failed in region.Failed)
                    table.AddRow(label, $"[red]{Markup.Escape(failed)} (did not answer)[/]", "");
            }
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"Type [blue]{Markup.Escape(sharding.TypeName)}[/]: " +
                                   $"{sharding.Shards} shards, {sharding.Entities} entities");
        });
        return new Command("cluster-sharding", "Cluster sharding") { stats };
    }
}
