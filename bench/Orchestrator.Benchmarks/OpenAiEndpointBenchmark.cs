using System.ClientModel;
using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using Orchestrator.Llama.Chat;
using Orchestrator.Llama.Files;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Hosting;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>What the node's OpenAI-compatible endpoint costs beside calling its pool in process, in one run: generated
/// tokens/s at 1 and 8 concurrent streaming clients (OpenAI's .NET client through Microsoft.Extensions.AI.OpenAI over
/// HTTP to <c>/v1/chat/completions</c>) against the same requests through a <see cref="LlamaChatClient"/> on the node's
/// model actor (the baseline: the pool, the same chat mapping, no HTTP), interleaved, greedy, the same prompts and
/// token counts either way. One node in this process, its pool in process too (hosting = in-process). Options:
/// --threads N (2), --levels 1,8, --prompt 128 (tokens), --gen 64, --runs N (3), --tiny (a small model for a smoke run).
/// Goal (issue 24): the endpoint at least 0.9x the pool.</summary>
internal static class OpenAiEndpointBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var threads = LlamaPoolBenchmark.IntOption(args, "--threads", 2);
        var promptTokens = LlamaPoolBenchmark.IntOption(args, "--prompt", 128);
        var generate = LlamaPoolBenchmark.IntOption(args, "--gen", 64);
        var runs = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--runs", 3));
        var levels = (LlamaPoolBenchmark.Option(args, "--levels") ?? "1,8").Split(',').Select(int.Parse).ToArray();
        var tiny = args.Contains("--tiny");
        var spec = tiny ? TinyModelSpec.Tiny with { VocabularySize = 2048 } : TinyModelSpec.Bench134M;
        var root = RepositoryPaths.FindRepositoryRoot() ?? Environment.CurrentDirectory;
        var path = TinyModel.Ensure(Path.Combine(root, "models", tiny ? "bench-tiny.gguf" : "bench-134m.gguf"), spec);
        var sequences = levels.Max();
        var prompts = LlamaPoolBenchmark.MakePrompts(path, promptTokens, sequences);
        Console.WriteLine($"OpenAI endpoint benchmark {DateTime.UtcNow:u}: {spec.Parameters / 1e6:F0}M parameters ({spec.TensorType}), " +
                          $"{threads} threads, prompt {promptTokens} tokens, up to {generate} generated, greedy, streamed, {runs} runs");

        var dir = Directory.CreateTempSubdirectory("orch-bench-openai-").FullName;
        var port = FreePort.Next();
        var config = NodeConfigLoader.FromText($$"""
            orchestrator.node.port = 0
            orchestrator.api.port = {{port}}
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(dir, "node.db"))}}
            orchestrator.llm.hosting = in-process
            orchestrator.llm.models.bench { path = {{HoconText.Quote(path)}}, context-size = {{sequences * (promptTokens + generate + 96)}},
              sequences = {{sequences}}, threads = {{threads}}, batch-size = 512, prefill-chunk = 512 }
            akka.loglevel = WARNING
            """);
        var (app, claim) = NodeApplication.Build(NodeSettings.From(config), config, logging: new Orchestrator.Node.Logs.NodeLogging(Path.Combine(dir, "node.log")));
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<Orchestrator.Node.Health.NodeReadiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(120));
            var system = app.Services.GetRequiredService<ActorSystem>();
            var models = await app.Services.GetRequiredService<IRequiredActor<ModelManager>>().GetAsync();
            IChatClient InProcess() => new LlamaChatClient(system, models, "bench", TimeSpan.FromMinutes(5));
            IChatClient OverHttp() => new OpenAI.Chat.ChatClient("bench", new ApiKeyCredential("none"),
                new OpenAIClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1"), NetworkTimeout = TimeSpan.FromMinutes(5) }).AsIChatClient();
            var options = new ChatOptions { MaxOutputTokens = generate, Temperature = 0 };

            await RunAsync(InProcess, prompts.Take(1).ToList(), options); // load and warm up both paths
            await RunAsync(OverHttp, prompts.Take(1).ToList(), options);

            Console.WriteLine();
            Console.WriteLine("clients | pool in process tok/s min/med | endpoint tok/s min/med | endpoint/pool min/med | tokens per run");
            foreach (var c in levels)
            {
                var pool = new List<double>();
                var endpoint = new List<double>();
                var ratios = new List<double>();
                long tokens = 0;
                for (var run = 0; run < runs; run++)
                {
                    var a = await RunAsync(InProcess, prompts.Take(c).ToList(), options);
                    var b = await RunAsync(OverHttp, prompts.Take(c).ToList(), options);
                    if (a.Tokens != b.Tokens)
                        throw new InvalidOperationException($"the two paths generated {a.Tokens} and {b.Tokens} tokens for the same greedy requests");
                    tokens = a.Tokens;
                    pool.Add(a.Tps);
                    endpoint.Add(b.Tps);
                    ratios.Add(b.Tps / a.Tps);
                }
                Console.WriteLine($"{c,7} | {pool.Min(),12:F1} / {LlamaPoolBenchmark.Med(pool),-12:F1} | {endpoint.Min(),10:F1} / {LlamaPoolBenchmark.Med(endpoint),-10:F1} | " +
                                  $"{ratios.Min(),9:F2} / {LlamaPoolBenchmark.Med(ratios),-9:F2} | {tokens}");
            }
            Console.WriteLine("goal (issue 24): endpoint/pool >= 0.90");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            claim?.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>Streams one request per prompt at once through clients made by <paramref name="client"/>; generated
    /// tokens (from each stream's usage) per second of wall time, and the tokens.</summary>
    private static async Task<(double Tps, long Tokens)> RunAsync(Func<IChatClient> client, List<string> prompts, ChatOptions options)
    {
        var sw = Stopwatch.StartNew();
        var counts = await Task.WhenAll(prompts.Select(async prompt =>
        {
            using var chat = client();
            long tokens = 0;
            await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, prompt)], options))
                foreach (var usage in update.Contents.OfType<UsageContent>())
                    tokens += usage.Details.OutputTokenCount ?? 0;
            return tokens;
        }));
        var total = counts.Sum();
        return (total / sw.Elapsed.TotalSeconds, total);
    }
}
