using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Orchestrator.Cli.Client;

/// <summary>The node's HTTP API as <c>orch</c> uses it: JSON in and out, problem details turned into
/// <see cref="NodeProblemException"/>, a node that does not answer into <see cref="NodeUnreachableException"/>.</summary>
public sealed class NodeClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of the node at <paramref name="address"/>, with the bearer token when one is given.</summary>
    public NodeClient(NodeAddress address, string? token, TimeSpan? timeout = null)
    {
        Address = address;
        _http = new HttpClient { BaseAddress = address.BaseUri, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(token))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The node this client talks to.</summary>
    public NodeAddress Address { get; }

    /// <summary>GET <paramref name="path"/> as JSON.</summary>
    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>POST <paramref name="body"/> (or nothing) to <paramref name="path"/>, and read the JSON reply.</summary>
    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new NodeUnreachableException(Address, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeUnreachableException(Address, $"no answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw NodeProblemException.From((int)response.StatusCode, text);
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>The node did not answer.</summary>
public sealed class NodeUnreachableException(NodeAddress address, string reason)
    : Exception($"Node {address} is not reachable ({reason}). Is it running? Start one with ./build.sh run, or name another: orch HOST:PORT COMMAND.");

/// <summary>The node answered with an error (a problem details document).</summary>
public sealed class NodeProblemException(int status, string title, string detail) : Exception($"{title} ({status}): {detail}")
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    internal static NodeProblemException From(int status, string body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            return new NodeProblemException(status,
                problem.TryGetProperty("title", out var t) ? t.GetString() ?? "Error" : "Error",
                problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : body);
        }
        catch (JsonException)
        {
            return new NodeProblemException(status, "Error", body);
        }
    }
}
