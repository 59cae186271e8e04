using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchestrator.Node.Api.OpenAi;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>A stand-in for a model server: an OpenAI-compatible endpoint on loopback (Kestrel) that answers every
/// <c>POST /{caller}/v1/chat/completions</c> after a fixed latency with the same streamed reply (role and text, the
/// finish reason, the usage, <c>[DONE]</c>), as many calls at once as come. <c>{caller}</c> names who asked (a node gives
/// its endpoint entry the address <see cref="Url"/>), so that the calls can be counted per caller.</summary>
internal sealed class ScriptedChatEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private int _running;
    private int _mostRunning;

    private ScriptedChatEndpoint(WebApplication app, int port, TimeSpan latency)
    {
        _app = app;
        Port = port;
        Latency = latency;
    }

    /// <summary>How long after it arrives each call is answered.</summary>
    public TimeSpan Latency { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The base address (OpenAI's <c>/v1</c>) <paramref name="caller"/> is given.</summary>
    public string Url(string caller) => $"http://127.0.0.1:{Port}/{caller}/v1";

    /// <summary>Calls answered or under way so far, per caller.</summary>
    public IReadOnlyDictionary<string, int> Calls => _calls;

    /// <summary>The most calls under way at once so far.</summary>
    public int MostRunning => Volatile.Read(ref _mostRunning);

    /// <summary>Starts the endpoint; each call is answered <paramref name="latency"/> after it arrives with
    /// <paramref name="reply"/>.</summary>
    public static async Task<ScriptedChatEndpoint> StartAsync(TimeSpan latency, string reply)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var endpoint = new ScriptedChatEndpoint(app, port, latency);
        app.MapPost("/{caller}/v1/chat/completions", (string caller, HttpContext http) => endpoint.AnswerAsync(caller, http, latency, reply));
        await app.StartAsync();
        return endpoint;
    }

    /// <summary>Forgets the calls counted so far.</summary>
    public void Reset()
    {
        _calls.Clear();
        Volatile.Write(ref _mostRunning, 0);
    }

    private async Task AnswerAsync(string caller, HttpContext http, TimeSpan latency, string reply)
    {
        _calls.AddOrUpdate(caller, 1, (_, n) => n + 1);
        var running = Interlocked.Increment(ref _running);
        for (var most = MostRunning; running > most && Interlocked.CompareExchange(ref _mostRunning, running, most) != most; most = MostRunning)
        {
        }
        try
        {
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted); // what was asked does not change the answer
            await Task.Delay(latency, http.RequestAborted);
            var id = $"chatcmpl-{Guid.NewGuid():N}";
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            http.Response.ContentType = "text/event-stream";
            await WriteAsync(http, new ChatCompletionChunk(id, created, "scripted", [new ChatCompletionChunkChoice(0, new ChatCompletionDelta("assistant", reply), null)]));
            await WriteAsync(http, new ChatCompletionChunk(id, created, "scripted", [new ChatCompletionChunkChoice(0, new ChatCompletionDelta(), "stop")]));
            await WriteAsync(http, new ChatCompletionChunk(id, created, "scripted", [], new ChatCompletionUsage(16, 4, 20)));
            await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller gave up (a cancelled task, a node stopping).
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static async Task WriteAsync(HttpContext http, ChatCompletionChunk chunk)
    {
        await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    /// <summary>Stops the endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
