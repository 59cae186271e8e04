using Orchestrator.Client;
using Orchestrator.Engine.Sessions;
using Orchestrator.Llama.Gguf;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>The time from a SIGKILL of a cluster node to the first step of one of its sessions on another node: three
/// node processes on a throwaway PostgreSQL, 12 manuscript-review sessions on the tiny model started through node 0,
/// node 1 killed once its sessions have work in flight. The node's settings (stable-after 2s, down-removal-margin 1s,
/// shard leases) against the baseline of the settings before them (stable-after 7s, down-removal-margin as long),
/// alternating, <c>--runs N</c> (3) each.</summary>
internal static class ClusterFailoverBenchmark
{
    private const string Baseline = """
        akka.cluster.split-brain-resolver.stable-after = 7s
        akka.cluster.down-removal-margin = 7s
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--runs", 3));
        var shards = new SessionMessageExtractor(100);
        Console.WriteLine($"cluster failover benchmark {DateTime.UtcNow:u}: 3 nodes, 12 sessions, SIGKILL of node 1, {runs} runs");
        var node = new List<double>();
        var baseline = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (name, extra, results) in new[] { ("node settings", "", node), ("baseline", Baseline, baseline) })
            {
                var seconds = await MeasureAsync(extra, id => shards.ShardId(id, null));
                results.Add(seconds);
                Console.WriteLine($"run {run} {name}: first resumed step {seconds:0.0} s after the kill");
            }
        }
        Console.WriteLine($"kill to first resumed step, node settings: min {node.Min():0.0} s, median {Report.Median(node):0.0} s; " +
                          $"baseline: min {baseline.Min():0.0} s, median {Report.Median(baseline):0.0} s; " +
                          $"ratio {node.Min() / baseline.Min():0.00}/{Report.Median(node) / Report.Median(baseline):0.00}x (min/median)");
        return 0;
    }

    private static async Task<double> MeasureAsync(string extraConfig, Func<string, string> shardOf)
    {
        var dir = Directory.CreateTempSubdirectory("orch-bench-cluster-").FullName;
        try
        {
            var model = Path.Combine(dir, "tiny.gguf");
            TinyModel.Write(model, TinyModelSpec.Tiny);
            await using var cluster = await NodeCluster.StartAsync(dir, model, nodes: 3, extraConfig: extraConfig);
            using var api = cluster.Api(0);
            var sessions = await NodeCluster.StartSessionsAsync(api, "bench", 12);
            var onVictim = await cluster.SessionsOnAsync(api, 1, sessions, shardOf);
            await cluster.WaitUntilDispatchedAsync(api, onVictim);
            await cluster.KillAsync(1);
            var killedAt = DateTimeOffset.UtcNow;
            var journals = await cluster.WaitUntilFinishedAsync(api, onVictim);
            var resumed = NodeCluster.FirstEventAfter(journals.Values, killedAt)
                          ?? throw new InvalidOperationException("No session of the killed node wrote after the kill.");
            return (resumed - killedAt).TotalSeconds;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
