using System.CommandLine;
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
            var reply = await ctx.Client.GetAsync("/api/cluster/sharding", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply);
                return;
            }
            var table = new Table().AddColumns("Region", "Shard", "Entities");
            foreach (var region in reply.GetProperty("regions").EnumerateArray())
            {
                var address = region.GetProperty("address").GetString()!;
                var label = Markup.Escape(region.GetProperty("isSelf").GetBoolean() ? $"{address} (this node)" : address);
                var shards = region.GetProperty("shardStats").EnumerateArray().ToList();
                if (shards.Count == 0)
                    table.AddRow(label, "[grey](none)[/]", "0");
                foreach (var shard in shards)
                    table.AddRow(label, Markup.Escape(shard.GetProperty("shardId").GetString()!), shard.GetProperty("entities").GetInt32().ToString());
                foreach (var failed in region.GetProperty("failed").EnumerateArray())
                    table.AddRow(label, $"[red]{Markup.Escape(failed.GetString()!)} (did not answer)[/]", "");
            }
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"Type [blue]{Markup.Escape(reply.GetProperty("typeName").GetString()!)}[/]: " +
                                   $"{reply.GetProperty("shards").GetInt32()} shards, {reply.GetProperty("entities").GetInt32()} entities");
        });
        return new Command("cluster-sharding", "Cluster sharding") { stats };
    }
}
