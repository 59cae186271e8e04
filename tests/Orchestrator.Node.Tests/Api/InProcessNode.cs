using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Health;
using Orchestrator.Node.Hosting;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A whole node in the test process: real Kestrel on a free loopback port, real Akka cluster of one,
/// SQLite in a temporary folder.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IDisposable? _claim;
    private readonly string _dir;
    private Task? _stopped;

    private InProcessNode(WebApplication app, IDisposable? claim, string dir, int port, string? token, CapturedLogs logs)
    {
        _app = app;
        _claim = claim;
        _dir = dir;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        if (token is not null)
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A client of the node's API (with the token when there is one).</summary>
    public HttpClient Http { get; }

    /// <summary>The node's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>What the node logged since it was built.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The node's SQLite journal file.</summary>
    public string DatabasePath => Path.Combine(_dir, "node.db");

    /// <summary>Starts a node with <paramref name="extraHocon"/> that joins <paramref name="seed"/>'s cluster (its only
    /// seed node), and waits until it is ready.</summary>
    public static Task<InProcessNode> JoiningAsync(InProcessNode seed, string extraHocon = "")
    {
        var address = Akka.Cluster.Cluster.Get(seed.Services.GetRequiredService<Akka.Actor.ActorSystem>()).SelfAddress;
        return StartAsync($"{extraHocon}\norchestrator.node.seed-nodes = [{HoconText.Quote(address.ToString())}]");
    }

    /// <summary>Starts a node with <paramref name="extraHocon"/> over the test defaults and, unless told otherwise, waits
    /// until it is ready.</summary>
    public static async Task<InProcessNode> StartAsync(string extraHocon = "", string? token = null, bool waitUntilReady = true)
    {
        var dir = Directory.CreateTempSubdirectory("orch-api-").FullName;
        var port = FreePort.Next();
        var config = NodeConfigLoader.FromText($$"""
            orchestrator.node.port = 0
            orchestrator.api.port = {{port}}
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(dir, "node.db"))}}
            {{(token is null ? "" : $"orchestrator.api.token = {HoconText.Quote(token)}")}}
            {{extraHocon}}
            """);
        var (app, claim) = NodeApplication.Build(NodeSettings.From(config), config);
        var logs = new CapturedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync();
        if (waitUntilReady) await app.Services.GetRequiredService<NodeReadiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
        return new InProcessNode(app, claim, dir, port, token, logs);
    }

    /// <summary>Stops the node as SIGTERM does (the host's stopping, then its services); once, however often asked.</summary>
    public Task StopAsync() => _stopped ??= _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
        _claim?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
