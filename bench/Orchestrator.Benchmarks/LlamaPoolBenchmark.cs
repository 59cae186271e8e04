using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using Orchestrator.Llama.Chat;
using Orchestrator.Llama.Files;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Native;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Benchmarks;

/// <summary>Aggregate generated tokens/s of a <see cref="ModelPool"/> at 1, 2, 4 and 8 concurrent requests (prompt
/// 128 tokens, 64 generated, greedy), time to first token and RSS, beside a baseline measured in the same run:
/// LLamaSharp's own tight batched loop (<see cref="BatchedExecutor"/> and one <see cref="Conversation"/> per request,
/// same model, context size, threads and batch size; no actors, no queues, no streaming).
/// Model: a generated llama of n_embd 768, 12 layers, ff 2048, vocab 32,000, F16 (~134M parameters), in models/.
/// Options: --threads N (2), --levels 1,2,4,8, --prompt 128, --gen 64, --runs N (3, interleaved), --tiny (a small
/// model, for a smoke run), --kv-per-sequence (a KV cache per sequence, both sides; by default one shared, as the pool's default), --no-stream (the pool answers once, no token chunks), --old-pool-8 TOK/S (the old pool's figure at 8, to print the ratio; 0 = none).</summary>
internal static class LlamaPoolBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var threads = IntOption(args, "--threads", 2);
        var promptTokens = IntOption(args, "--prompt", 128);
        var generate = IntOption(args, "--gen", 64);
        var runs = Math.Max(1, IntOption(args, "--runs", 3));
        var levels = (Option(args, "--levels") ?? "1,2,4,8").Split(',').Select(int.Parse).ToArray();
        var oldPool8 = double.Parse(Option(args, "--old-pool-8") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var spec = args.Contains("--tiny") ? TinyModelSpec.Tiny with { VocabularySize = 2048 } : TinyModelSpec.Bench134M;
        var maxSeq = levels.Max();

        var rss0 = Rss();
        var variant = LlamaRuntime.EnsureLoaded();
        var root = RepositoryPaths.FindRepositoryRoot() ?? Environment.CurrentDirectory;
        var path = Path.Combine(root, "models", args.Contains("--tiny") ? "bench-tiny.gguf" : "bench-134m.gguf");
        var sw = Stopwatch.StartNew();
        TinyModel.Ensure(path, spec);
        var settings = new PoolSettings("bench", path, ContextSize: maxSeq * (promptTokens + generate + 64), Sequences: maxSeq,
            Threads: threads, BatchSize: 512, PrefillChunk: 512, QueueSize: 16, KvUnified: !args.Contains("--kv-per-sequence"));
        Console.WriteLine($"llama pool benchmark {DateTime.UtcNow:u}: {spec.Parameters / 1e6:F0}M parameters ({spec.TensorType}), " +
                          $"{threads} threads, prompt {promptTokens}, generate {generate}, {runs} runs, " +
                          $"kv-unified {(settings.KvUnified ? "on" : "off")}, LLamaSharp 0.30.0 {variant}");
        Console.WriteLine($"model {path} ready in {sw.Elapsed.TotalSeconds:F1} s; {LlamaRuntime.SystemInfo().Trim()}");

        var prompts = MakePrompts(path, promptTokens, maxSeq);
        var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var models = system.ActorOf(ModelManager.Props([settings]), "models");
        var stream = !args.Contains("--no-stream");
        await RunPool(models, system, "bench", prompts.Take(1).ToList(), 8, stream); // load + warm-up
        var rssPool = Rss();
        using var loop = new TightLoop(settings);
        await loop.RunAsync(prompts.Take(1).ToList(), 8); // warm-up
        var rssBoth = Rss();

        // Interleaved, so a burst of load from other processes hits both sides alike; min and median over the runs.
        Console.WriteLine();
        Console.WriteLine("concurrent | tight loop tok/s min/med | pool tok/s min/med | pool/loop min/med | loop TTFT ms med | pool TTFT ms med");
        var pool = new Dictionary<int, List<(double Tps, double Ttft)>>();
        var tight = new Dictionary<int, List<(double Tps, double Ttft)>>();
        var ratios = new Dictionary<int, List<double>>();
        foreach (var c in levels)
        {
            pool[c] = [];
            tight[c] = [];
            ratios[c] = [];
            for (var run = 0; run < runs; run++)
            {
                var t = await loop.RunAsync(prompts.Take(c).ToList(), generate);
                var p = await RunPool(models, system, "bench", prompts.Take(c).ToList(), generate, stream);
                tight[c].Add(t);
                pool[c].Add(p);
                ratios[c].Add(p.Tps / t.Tps);
            }
            Console.WriteLine($"{c,10} | {Min(tight[c]),10:F1} / {Median(tight[c]),-10:F1} | {Min(pool[c]),8:F1} / {Median(pool[c]),-7:F1} | " +
                              $"{ratios[c].Min(),7:F2} / {Med(ratios[c]),-7:F2} | {Med(tight[c].Select(x => x.Ttft)),16:F0} | " +
                              $"{Med(pool[c].Select(x => x.Ttft)),16:F0}");
        }
        var lo = levels.Min();
        var hi = levels.Max();
        Console.WriteLine($"pool scaling {hi} vs {lo} concurrent (medians): {Median(pool[hi]) / Median(pool[lo]):F2}x (goal >= 1.8); " +
                          $"tight loop scaling {Median(tight[hi]) / Median(tight[lo]):F2}x; " +
                          $"worst pool/loop median {levels.Min(c => Med(ratios[c])):F2}, min {levels.Min(c => ratios[c].Min()):F2} (goal >= 0.9)");
        if (oldPool8 > 0)
            Console.WriteLine($"pool at {hi} vs the old pool's {oldPool8:F1} tok/s: {Median(pool[hi]) / oldPool8:F2}x median, " +
                              $"{Min(pool[hi]) / oldPool8:F2}x min (goal >= 1.6)");
        Console.WriteLine($"RSS: start {rss0} MiB, pool with {maxSeq} sequences loaded {rssPool} MiB (+{rssPool - rss0}), tight loop " +
                          $"added {rssBoth - rssPool} MiB, after the runs {Rss()} MiB (model file {new FileInfo(path).Length >> 20} MiB)");
        await system.Terminate();
        return 0;
    }

    private static double Min(List<(double Tps, double Ttft)> xs) => xs.Min(x => x.Tps);

    private static double Median(List<(double Tps, double Ttft)> xs) => Med(xs.Select(x => x.Tps));

    internal static double Med(IEnumerable<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    internal static async Task<(double Tps, double Ttft)> RunPool(IActorRef models, ActorSystem system, string model, List<string> prompts, int generate,
        bool stream)
    {
        var channels = new List<Channel<object>>();
        var sw = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            var channel = Channel.CreateUnbounded<object>();
            channels.Add(channel);
            var collector = system.ActorOf(ReplyCollector.Props(channel.Writer));
            models.Tell(new Generate(Guid.NewGuid().ToString("N"), model, Prompt: prompt,
                Sampling: SamplingOptions.Greedy with { IgnoreEos = true }, MaxTokens: generate, Stream: stream), collector);
        }
        var ttft = new List<double>();
        var tokens = 0;
        foreach (var channel in channels)
            await foreach (var message in channel.Reader.ReadAllAsync())
            {
                switch (message)
                {
                    case GenerateResult r:
                        tokens += r.CompletionTokens;
                        ttft.Add(r.Timings.FirstToken.TotalMilliseconds);
                        break;
                    case GenerateFailed or Overloaded:
                        throw new InvalidOperationException($"pool refused a benchmark request: {message}");
                }
            }
        return (tokens / sw.Elapsed.TotalSeconds, ttft.Average());
    }

    /// <summary>Prompts of exactly <paramref name="tokens"/> tokens (BOS included), different per sequence.</summary>
    internal static List<string> MakePrompts(string path, int tokens, int count)
    {
        using var weights = ModelWeights.Load(path, 0);
        string[] words = ["the", "agent", "will", "plan", "task", "and", "answer", "with", "json", "value", "name", "result"];
        var prompts = new List<string>();
        for (var s = 0; s < count; s++)
        {
            var rng = new Random(s);
            var text = $"request {s}:";
            while (weights.Tokenize(text, true, false).Length < tokens) text += " " + words[rng.Next(words.Length)];
            var ids = weights.Tokenize(text, true, false).AsSpan(1, tokens - 1);
            prompts.Add(weights.Detokenize(ids).TrimStart());
        }
        return prompts;
    }

    private static long Rss() => Process.GetCurrentProcess().WorkingSet64 >> 20;

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } v ? int.Parse(v) : fallback;

    /// <summary>The baseline: LLamaSharp's <see cref="BatchedExecutor"/> with one <see cref="Conversation"/> per
    /// request, all prompts queued at once, then one <c>Infer</c> per step over all of them with greedy sampling.</summary>
    private sealed class TightLoop : IDisposable
    {
        private readonly LLamaWeights _weights;
        private readonly BatchedExecutor _executor;

        public TightLoop(PoolSettings s)
        {
            var p = new ModelParams(s.Path)
            {
                ContextSize = (uint)s.ContextSize,
                BatchSize = (uint)s.BatchSize,
                UBatchSize = (uint)s.BatchSize,
                SeqMax = (uint)s.Sequences,
                Threads = s.EffectiveThreads,
                BatchThreads = s.EffectiveThreads,
                GpuLayerCount = 0,
                KVUnified = s.KvUnified, // LLamaSharp's default is unified; the pool's is the setting
            };
            _weights = LLamaWeights.LoadFromFile(p);
            _executor = new BatchedExecutor(_weights, p);
        }

        public async Task<(double Tps, double Ttft)> RunAsync(List<string> prompts, int generate)
        {
            var sw = Stopwatch.StartNew();
            var conversations = new List<Conversation>();
            var samplers = new List<SafeLLamaSamplerChainHandle>();
            try
            {
                foreach (var prompt in prompts)
                {
                    var c = _executor.Create();
                    c.Prompt(_executor.Context.Tokenize(prompt, true, false));
                    conversations.Add(c);
                    var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
                    chain.AddLogitBias(_weights.Vocab.Count, [new LLamaLogitBias { Token = _weights.Vocab.EOS!.Value, Bias = float.NegativeInfinity }]);
                    chain.AddGreedySampler();
                    samplers.Add(chain);
                }
                // BatchedExecutor wants every conversation inferred by a batch sampled before the next batch runs
                // (a long prefill takes several), so sample whatever is ready after each Infer.
                var piece = new byte[256];
                var produced = new int[conversations.Count];
                var firstToken = new double[conversations.Count];
                var remaining = conversations.Count * generate;
                while (remaining > 0)
                {
                    var rc = await _executor.Infer();
                    if (rc != DecodeResult.Ok) throw new InvalidOperationException($"Infer failed with {rc}");
                    for (var i = 0; i < conversations.Count; i++)
                    {
                        if (!conversations[i].RequiresSampling || produced[i] == generate) continue;
                        var token = conversations[i].Sample(samplers[i]);
                        _weights.NativeHandle.TokenToSpan(token, piece);
                        if (produced[i]++ == 0) firstToken[i] = sw.Elapsed.TotalMilliseconds;
                        remaining--;
                        if (produced[i] < generate) conversations[i].Prompt(token);
                    }
                }
                var ttft = firstToken.Average();
                return (prompts.Count * generate / sw.Elapsed.TotalSeconds, ttft);
            }
            finally
            {
                foreach (var c in conversations) c.Dispose();
                foreach (var s in samplers) s.Dispose();
            }
        }

        public void Dispose()
        {
            _executor.Dispose();
            _weights.Dispose();
        }
    }
}
