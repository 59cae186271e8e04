using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using Orchestrator.Llama.Chat;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Native;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Benchmarks;

/// <summary>Aggregate generated tokens/s of a <see cref="ModelPool"/> at 1, 2, 4 and 8 concurrent requests (prompt
/// 128 tokens, 64 generated, greedy), time to first token and RSS, beside a baseline measured in the same run: the
/// same native library driven by a tight batched loop without actors (same context, threads and batch size).
/// Model: a generated llama of n_embd 768, 12 layers, ff 2048, vocab 32,000, F16 (~134M parameters), in models/.
/// Options: --threads N (2), --levels 1,2,4,8, --prompt 128, --gen 64, --tiny (a small model, for a smoke run),
/// --native DIR (the folder of llama.cpp's libraries; by default a local build when present, else the prebuilt ones).</summary>
internal static class LlamaPoolBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var threads = IntOption(args, "--threads", 2);
        var promptTokens = IntOption(args, "--prompt", 128);
        var generate = IntOption(args, "--gen", 64);
        var levels = (Option(args, "--levels") ?? "1,2,4,8").Split(',').Select(int.Parse).ToArray();
        var spec = args.Contains("--tiny") ? TinyModelSpec.Tiny with { VocabularySize = 2048 } : TinyModelSpec.Bench134M;
        var maxSeq = levels.Max();

        var folder = LlamaBackend.EnsureLoaded(Option(args, "--native") ?? "native");
        var root = NativeLibraryLocator.FindRepositoryRoot() ?? Environment.CurrentDirectory;
        var path = Path.Combine(root, "models", args.Contains("--tiny") ? "bench-tiny.gguf" : "bench-134m.gguf");
        var sw = Stopwatch.StartNew();
        TinyModel.Ensure(path, spec);
        Console.WriteLine($"llama pool benchmark: {spec.Parameters / 1e6:F0}M parameters ({spec.TensorType}), {threads} threads, " +
                          $"prompt {promptTokens}, generate {generate}, libraries {folder}");
        Console.WriteLine($"model {path} ready in {sw.Elapsed.TotalSeconds:F1} s; {LlamaBackend.SystemInfo()}");
        var settings = new PoolSettings("bench", path, ContextSize: maxSeq * (promptTokens + generate + 64), Sequences: maxSeq,
            Threads: threads, BatchSize: 512, PrefillChunk: 512, QueueSize: 16);

        var rss0 = Rss();
        var prompts = MakePrompts(path, promptTokens, maxSeq);
        using var loop = new DirectLoop(settings);
        loop.Run(prompts.Take(1).ToList(), 8); // warm-up
        var rssDirect = Rss();
        var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var models = system.ActorOf(ModelManager.Props([settings]), "models");
        await RunPool(system, models, prompts.Take(1).ToList(), 8); // load + warm-up
        var rssPool = Rss();

        // Interleaved and best of N, so a burst of load from other processes hits both sides alike.
        var rounds = IntOption(args, "--rounds", 2);
        Console.WriteLine();
        Console.WriteLine("concurrency | direct tok/s | pool tok/s | pool/direct | direct TTFT ms | pool TTFT ms");
        var direct = new Dictionary<int, (double Tps, double Ttft)>();
        var pool = new Dictionary<int, (double Tps, double Ttft)>();
        foreach (var c in levels)
        {
            for (var round = 0; round < rounds; round++)
            {
                var d = loop.Run(prompts.Take(c).ToList(), generate);
                var p = await RunPool(system, models, prompts.Take(c).ToList(), generate);
                if (!direct.TryGetValue(c, out var bd) || d.Tps > bd.Tps) direct[c] = d;
                if (!pool.TryGetValue(c, out var bp) || p.Tps > bp.Tps) pool[c] = p;
            }
            Console.WriteLine($"{c,11} | {direct[c].Tps,12:F1} | {pool[c].Tps,10:F1} | {pool[c].Tps / direct[c].Tps,11:F2} | " +
                              $"{direct[c].Ttft,14:F0} | {pool[c].Ttft,12:F0}");
        }
        var lo = levels.Min();
        var hi = levels.Max();
        Console.WriteLine($"pool scaling {hi} vs {lo} concurrent: {pool[hi].Tps / pool[lo].Tps:F2}x (goal >= 1.6); " +
                          $"direct scaling {direct[hi].Tps / direct[lo].Tps:F2}x; " +
                          $"worst pool/direct {levels.Min(c => pool[c].Tps / direct[c].Tps):F2} (goal >= 0.9)");
        Console.WriteLine($"RSS: start {rss0} MiB, direct loop loaded {rssDirect} MiB, pool with {maxSeq} sequences added " +
                          $"{rssPool - rssDirect} MiB, after the runs {Rss()} MiB (model file {new FileInfo(path).Length >> 20} MiB)");
        await system.Terminate();
        return 0;
    }

    private static async Task<(double Tps, double Ttft)> RunPool(ActorSystem system, IActorRef models, List<string> prompts, int generate)
    {
        var channels = new List<Channel<object>>();
        var sw = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            var channel = Channel.CreateUnbounded<object>();
            channels.Add(channel);
            var collector = system.ActorOf(ReplyCollector.Props(channel.Writer));
            models.Tell(new Generate(Guid.NewGuid().ToString("N"), "bench", Prompt: prompt,
                Sampling: SamplingOptions.Greedy with { IgnoreEos = true }, MaxTokens: generate, Stream: true), collector);
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
    private static List<string> MakePrompts(string path, int tokens, int count)
    {
        using var weights = LlamaWeights.Load(path, 0);
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

    /// <summary>The baseline: one context, all sequences prefilled together, then one llama_decode per step over all of
    /// them with greedy sampling; no actors, no queues, no streaming.</summary>
    private sealed unsafe class DirectLoop : IDisposable
    {
        private readonly LlamaWeights _weights;
        private readonly SafeLlamaContextHandle _context;
        private readonly SafeLlamaBatchHandle _batch;
        private readonly nint _memory;

        public DirectLoop(PoolSettings s)
        {
            _weights = LlamaWeights.Load(s.Path, 0);
            var p = LlamaNative.ContextDefaultParams();
            p.NCtx = (uint)s.ContextSize;
            p.NBatch = p.NUbatch = (uint)s.BatchSize;
            p.NSeqMax = (uint)s.Sequences;
            p.NThreads = p.NThreadsBatch = s.EffectiveThreads;
            p.NoPerf = 1;
            _context = SafeLlamaContextHandle.FromRaw(LlamaNative.InitFromModel(_weights.Handle, p), _weights.Handle);
            _memory = LlamaNative.GetMemory(_context);
            _batch = new SafeLlamaBatchHandle(s.BatchSize, 1);
        }

        public (double Tps, double Ttft) Run(List<string> prompts, int generate)
        {
            LlamaNative.MemoryClear(_memory, true);
            var sw = Stopwatch.StartNew();
            var seqs = prompts.Select(t => _weights.Tokenize(t, true, false)).ToList();
            var samplers = seqs.Select(_ => SamplerChain.Create(_weights, SamplingOptions.Greedy with { IgnoreEos = true }, null, out string? _)!).ToList();
            var pos = new int[seqs.Count];
            var outIndex = new int[seqs.Count];
            var last = new int[seqs.Count];
            ref var b = ref _batch.Native;
            // Prefill: fill batches of up to n_batch tokens across sequences.
            var fed = new int[seqs.Count];
            while (Enumerable.Range(0, seqs.Count).Any(x => fed[x] < seqs[x].Length))
            {
                b.NTokens = 0;
                Array.Fill(outIndex, -1);
                for (var s = 0; s < seqs.Count && b.NTokens < _batch.Capacity; s++)
                    while (fed[s] < seqs[s].Length && b.NTokens < _batch.Capacity)
                    {
                        var isLast = fed[s] == seqs[s].Length - 1;
                        var i = Add(ref b, seqs[s][fed[s]++], pos[s]++, s, isLast);
                        if (isLast) outIndex[s] = i;
                    }
                Decode(ref b);
                for (var s = 0; s < seqs.Count; s++)
                    if (outIndex[s] >= 0) last[s] = LlamaNative.SamplerSample(samplers[s], _context, outIndex[s]);
            }
            var ttft = sw.Elapsed.TotalMilliseconds;
            Span<byte> piece = stackalloc byte[256];
            for (var step = 1; step < generate; step++)
            {
                b.NTokens = 0;
                for (var s = 0; s < seqs.Count; s++) outIndex[s] = Add(ref b, last[s], pos[s]++, s, true);
                Decode(ref b);
                for (var s = 0; s < seqs.Count; s++)
                {
                    last[s] = LlamaNative.SamplerSample(samplers[s], _context, outIndex[s]);
                    _weights.TokenToPiece(last[s], piece);
                }
            }
            var elapsed = sw.Elapsed.TotalSeconds;
            foreach (var s in samplers) s.Dispose();
            return (seqs.Count * generate / elapsed, ttft);
        }

        private void Decode(ref LlamaBatchNative b)
        {
            var rc = LlamaNative.Decode(_context, b);
            if (rc != 0) throw new InvalidOperationException($"llama_decode failed with {rc}");
        }

        private static int Add(ref LlamaBatchNative b, int token, int pos, int seq, bool logits)
        {
            var i = b.NTokens++;
            b.Token[i] = token;
            b.Pos[i] = pos;
            b.NSeqId[i] = 1;
            b.SeqId[i][0] = seq;
            b.Logits[i] = logits ? (sbyte)1 : (sbyte)0;
            return i;
        }

        public void Dispose()
        {
            _batch.Dispose();
            _context.Dispose();
            _weights.Dispose();
        }
    }
}
