using System.Diagnostics;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Management;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workflows;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Api;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Health;
using Orchestrator.Node.Hosting;
using Orchestrator.Testing;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Benchmarks;

/// <summary>(e) The HTTP API under concurrent clients: <c>POST /api/sessions</c> (a session of a one-node template
/// whose model answers at once, journaled in SQLite like a node) and <c>GET /api/sessions/{id}</c> of those sessions,
/// by 16 and 64 clients; requests/s and p99 latency. Baseline in the same run, on the same Kestrel, client and
/// concurrency: as many calls to an empty endpoint (<c>GET /empty</c> answering 200).</summary>
internal static class HttpApiBenchmark
{
    private const string Template = """
        workflow {
          name = bench
          settings { max-iterations = 1, max-session-retries = 0 }
          nodes { only { role = instant, prompt = "Say done." } }
        }
        """;

    public static async Task RunAsync(BenchOptions options)
    {
        var calls = options.Quick ? 256 : 1024;
        Console.WriteLine($"  # {calls} calls per figure; one node per run (SQLite, synchronous=FULL); the model answers at once");
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}");
            await using var node = await BenchNode.StartAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
            {
                BaseAddress = node.BaseAddress,
                Timeout = TimeSpan.FromSeconds(60),
            };
            // Warm-up: JIT, connections, the shard region and the journal.
            await Measure(http, 16, 64, i => Start(http, $"warm-{run}-{i}"));
            await Measure(http, 16, 64, _ => http.GetAsync("/empty"));

            foreach (var clients in new[] { 16, 64 })
            {
                var prefix = $"r{run}-c{clients}";
                var empty = await Measure(http, clients, calls, _ => http.GetAsync("/empty"));
                var start = await Measure(http, clients, calls, i => Start(http, $"{prefix}-{i}"));
                await node.WhenSessionsEndAsync(http, $"{prefix}-{calls - 1}");
                var status = await Measure(http, clients, calls, i => http.GetAsync($"/api/sessions/{prefix}-{i}"));
                Report.Line($"HTTP session start, {clients} clients", start.PerSecond, "req/s", ("empty endpoint", empty.PerSecond));
                Report.Line($"HTTP session start p99, {clients} clients", start.P99Ms, "ms", ("empty endpoint p99", empty.P99Ms));
                Report.Line($"HTTP session status, {clients} clients", status.PerSecond, "req/s", ("empty endpoint", empty.PerSecond));
                Report.Line($"HTTP session status p99, {clients} clients", status.P99Ms, "ms", ("empty endpoint p99", empty.P99Ms));
                Report.Note($"{clients} clients: empty p50 {empty.P50Ms:0.00} ms, start p50 {start.P50Ms:0.00} ms, status p50 {status.P50Ms:0.00} ms");
            }
            Report.Note($"generate requests answered by the instant model: {node.Generated}");
        }
    }

    private static Task<HttpResponseMessage> Start(HttpClient http, string id) =>
        http.PostAsJsonAsync("/api/sessions", new { template = "bench", id, inputs = new Dictionary<string, string>() });

    private sealed record Figures(double PerSecond, double P50Ms, double P99Ms);

    /// <summary><paramref name="calls"/> calls shared by <paramref name="clients"/> concurrent loops; each call's latency
    /// is kept; a call that does not succeed fails the benchmark.</summary>
    private static async Task<Figures> Measure(HttpClient http, int clients, int calls, Func<int, Task<HttpResponseMessage>> call)
    {
        var latencies = new double[calls];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await call(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"call {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        })));
        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Figures(calls / seconds, Report.Percentile(latencies, 0.50), Report.Percentile(latencies, 0.99));
    }

    /// <summary>A node as <see cref="NodeApplication"/> builds it (same API, persistence, cluster and session region),
    /// except that the actor serving every model answers each request at once with a valid completion.</summary>
    private sealed class BenchNode : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly IDisposable? _claim;
        private readonly string _dir;
        private readonly InstantModel.Counter _counter;

        private BenchNode(WebApplication app, IDisposable? claim, string dir, int port, InstantModel.Counter counter)
        {
            _app = app;
            _claim = claim;
            _dir = dir;
            _counter = counter;
            BaseAddress = new Uri($"http://127.0.0.1:{port}");
        }

        public Uri BaseAddress { get; }

        public long Generated => Interlocked.Read(ref _counter.Count);

        public static async Task<BenchNode> StartAsync()
        {
            var dir = Directory.CreateTempSubdirectory("orch-bench-http-").FullName;
            Directory.CreateDirectory(Path.Combine(dir, "workflows"));
            await File.WriteAllTextAsync(Path.Combine(dir, "workflows", "bench.conf"), Template);
            var port = FreePort.Next();
            var config = NodeConfigLoader.FromText($$"""
                orchestrator.node.port = 0
                orchestrator.api.port = {{port}}
                orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(dir, "node.db"))}}
                orchestrator.sessions.templates-path = {{HoconText.Quote(Path.Combine(dir, "workflows"))}}
                orchestrator.sessions.max-tasks-in-flight = 256
                akka.loglevel = WARNING
                """);
            var settings = NodeSettings.From(config);
            var claim = SqliteDatabaseFileClaim(settings);
            var counter = new InstantModel.Counter();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
            builder.Services.AddSingleton(settings);
            builder.Services.AddSingleton(config);
            builder.Services.AddSingleton<NodeReadiness>();
            builder.Services.AddSingleton(NodeStart.Now());
            builder.Services.AddOrchestratorApi();
            builder.Services.AddSessionServices(NodeSettings.From(config).Sessions);
            builder.Services.AddAkka(settings.SystemName, (akka, services) => akka
                .AddOrchestratorNode(settings, config)
                .AddManagement()
                .AddSessionsAndModels(services, config, NodeSettings.From(config), system => system.ActorOf(InstantModel.Props(counter), "models")));
            builder.Services.AddHostedService<ReadinessMonitor>();
            var app = builder.Build();
            app.UseOrchestratorApi();
            app.MapGet("/empty", () => Results.Ok());
            await app.StartAsync();
            await app.Services.GetRequiredService<NodeReadiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
            return new BenchNode(app, claim, dir, port, counter);
        }

        private static IDisposable? SqliteDatabaseFileClaim(NodeSettings settings) =>
            Orchestrator.Node.Persistence.SqliteDatabaseFile.Claim(settings.Persistence.SqlitePath);

        /// <summary>Waits until the session <paramref name="lastId"/> (started last) has ended, so that the status
        /// figures are not measured beside the sessions' own work.</summary>
        public async Task WhenSessionsEndAsync(HttpClient http, string lastId)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (DateTime.UtcNow < deadline)
            {
                var status = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/sessions/{lastId}");
                if (status.GetProperty("lifecycle").GetString() is "completed" or "failed" or "cancelled") return;
                await Task.Delay(50);
            }
            throw new TimeoutException($"session {lastId} did not end within 120 s");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _claim?.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Answers every <see cref="Generate"/> at once with a valid response-protocol completion of its task.</summary>
    private sealed class InstantModel : ReceiveActor
    {
        public sealed class Counter
        {
            public long Count;
        }

        public static Props Props(Counter counter) => Akka.Actor.Props.Create(() => new InstantModel(counter));

        public InstantModel(Counter counter)
        {
            var timings = new GenerateTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            Receive<Generate>(g =>
            {
                Interlocked.Increment(ref counter.Count);
                var task = g.RequestId.Split('/')[1];
                var text = $$$"""
                    <<<ORCHESTRATOR_RESPONSE>>>
                    {"phase":"completion","data":{"task_id":"{{{task}}}","status":"success","summary":"done"}}
                    <<<END_ORCHESTRATOR_RESPONSE>>>
                    """;
                Sender.Tell(new GenerateResult(g.RequestId, g.Model, text, 10, 20, StopReason.EndOfText, timings));
            });
            Receive<CancelGenerate>(_ => { });
        }
    }
}
