using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Orchestrator.Llama.Files;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Native;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Benchmarks;

/// <summary>What running a model pool in its own process (a model host, <c>orchestrator.llm.hosting = process</c>)
/// costs beside the same pool in process, the baseline, in one run: aggregate generated tokens/s at 1, 4 and 8
/// concurrent requests (prompt 128 tokens, 64 generated, greedy, streamed), interleaved; the time from asking for the
/// pool to its first answer (start-up and model load); and the memory each adds (the node's RSS for in process, the
/// host's own RSS for a host). Options as <c>llama-pool</c>: --threads N (2), --levels 1,4,8, --prompt 128, --gen 64,
/// --runs N (3), --tiny, --no-stream (one reply per request, no token chunks: what the relay costs per token).</summary>
internal static class ModelHostBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var threads = LlamaPoolBenchmark.IntOption(args, "--threads", 2);
        var promptTokens = LlamaPoolBenchmark.IntOption(args, "--prompt", 128);
        var generate = LlamaPoolBenchmark.IntOption(args, "--gen", 64);
        var runs = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--runs", 3));
        var levels = (LlamaPoolBenchmark.Option(args, "--levels") ?? "1,4,8").Split(',').Select(int.Parse).ToArray();
        var spec = args.Contains("--tiny") ? TinyModelSpec.Tiny with { VocabularySize = 2048 } : TinyModelSpec.Bench134M;
        var maxSeq = levels.Max();
        var stream = !args.Contains("--no-stream");
        var root = RepositoryPaths.FindRepositoryRoot() ?? Environment.CurrentDirectory;
        var path = TinyModel.Ensure(Path.Combine(root, "models", args.Contains("--tiny") ? "bench-tiny.gguf" : "bench-134m.gguf"), spec);
        PoolSettings Settings(string name) => new(name, path, ContextSize: maxSeq * (promptTokens + generate + 64), Sequences: maxSeq,
            Threads: threads, BatchSize: 512, PrefillChunk: 512, QueueSize: 16);
        Console.WriteLine($"model host benchmark {DateTime.UtcNow:u}: {spec.Parameters / 1e6:F0}M parameters ({spec.TensorType}), " +
                          $"{threads} threads, prompt {promptTokens}, generate {generate}, {runs} runs, {(stream ? "streamed" : "not streamed")}");

        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            """).WithFallback(NodeConfigLoader.Load(null, _ => null).Config);
        var system = ActorSystem.Create("bench", config);
        var nodeDll = typeof(NodeConfigLoader).Assembly.Location;
        var prompts = LlamaPoolBenchmark.MakePrompts(path, promptTokens, maxSeq);

        var rss0 = Rss(Environment.ProcessId);
        var sw = Stopwatch.StartNew();
        var local = system.ActorOf(ModelManager.Props([Settings("local")]), "local");
        await LlamaPoolBenchmark.RunPool(local, system, "local", prompts.Take(1).ToList(), 8, stream: true);
        var localStart = sw.Elapsed;
        var localRss = Rss(Environment.ProcessId) - rss0;

        sw.Restart();
        var hosted = system.ActorOf(ModelManager.Props([Settings("hosted")], hosting: ModelHosting.Processes(nodeDll)), "hosted");
        await LlamaPoolBenchmark.RunPool(hosted, system, "hosted", prompts.Take(1).ToList(), 8, stream: true);
        var hostedStart = sw.Elapsed;
        var status = await hosted.Ask<ModelPool.PoolStatus>(new ModelManager.GetPoolStatus("hosted"), TimeSpan.FromSeconds(10));
        var hostPid = int.Parse(status.Description!["model host pid ".Length..]);
        var nodeAfterHost = Rss(Environment.ProcessId);

        Console.WriteLine($"llama.cpp {LlamaRuntime.Variant} in this process; model host pid {hostPid}");
        Console.WriteLine();
        Console.WriteLine("concurrent | in process tok/s min/med | model host tok/s min/med | host/in-process min/med | TTFT ms med in/host");
        foreach (var c in levels)
        {
            var inProcess = new List<(double Tps, double Ttft)>();
            var host = new List<(double Tps, double Ttft)>();
            var ratios = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var a = await LlamaPoolBenchmark.RunPool(local, system, "local", prompts.Take(c).ToList(), generate, stream);
                var b = await LlamaPoolBenchmark.RunPool(hosted, system, "hosted", prompts.Take(c).ToList(), generate, stream);
                inProcess.Add(a);
                host.Add(b);
                ratios.Add(b.Tps / a.Tps);
            }
            Console.WriteLine($"{c,10} | {inProcess.Min(x => x.Tps),10:F1} / {LlamaPoolBenchmark.Med(inProcess.Select(x => x.Tps)),-11:F1} | " +
                              $"{host.Min(x => x.Tps),10:F1} / {LlamaPoolBenchmark.Med(host.Select(x => x.Tps)),-11:F1} | {ratios.Min(),10:F2} / {LlamaPoolBenchmark.Med(ratios),-11:F2} | " +
                              $"{LlamaPoolBenchmark.Med(inProcess.Select(x => x.Ttft)):F0} / {LlamaPoolBenchmark.Med(host.Select(x => x.Ttft)):F0}");
        }
        Console.WriteLine($"start to first answer (load + warm-up, 8 tokens): in process {localStart.TotalSeconds:F2} s, model host " +
                          $"{hostedStart.TotalSeconds:F2} s ({hostedStart / localStart:F2}x)");
        Console.WriteLine($"memory: the in-process pool added {localRss} MiB to this process; the model host's own RSS is " +
                          $"{Rss(hostPid)} MiB ({(double)Rss(hostPid) / Math.Max(1, localRss):F2}x); this process grew " +
                          $"{nodeAfterHost - rss0 - localRss} MiB more with the host's pool (the relay)");
        await system.Terminate();
        return 0;
    }

    /// <summary>Resident memory of a process, MiB.</summary>
    private static long Rss(int pid)
    {
        using var p = Process.GetProcessById(pid);
        return p.WorkingSet64 >> 20;
    }
}
