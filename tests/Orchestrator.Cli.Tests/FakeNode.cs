using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary>A scripted HTTP server on a loopback port standing in for a node's API: each request goes to the handler,
/// and every request line and <c>Last-Event-ID</c> is recorded.</summary>
internal sealed class FakeNode : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    public FakeNode(Func<HttpListenerContext, Task> handler)
    {
        _handler = handler;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Requests as <c>GET /path?query</c>, with <c> [Last-Event-ID: N]</c> when the header was sent.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var lastId = context.Request.Headers["Last-Event-ID"];
            Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}{(lastId is null ? "" : $" [Last-Event-ID: {lastId}]")}");
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                finally
                {
                    try { context.Response.Close(); } catch (Exception) { /* the client went away */ }
                }
            });
        }
    }

    public static async Task Json(HttpListenerContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    /// <summary>Writes <paramref name="items"/> (already framed SSE text) as an event stream, flushing each.</summary>
    public static async Task Events(HttpListenerContext context, IEnumerable<string> items)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.SendChunked = true;
        foreach (var item in items)
        {
            var bytes = Encoding.UTF8.GetBytes(item);
            await context.Response.OutputStream.WriteAsync(bytes);
            await context.Response.OutputStream.FlushAsync();
        }
    }

    /// <summary>Closes the listener (which ends the accept loop) once: on Linux, a <c>Close</c> after <c>Stop</c> binds the
    /// port again only to release it, and fails with "Address already in use" while the port's closed connections wait
    /// out TIME_WAIT.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _loop;
    }
}
