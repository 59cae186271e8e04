using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Orchestrator.Api.Contracts;

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

    /// <summary>GET <paramref name="path"/>: the reply as <typeparamref name="T"/>.</summary>
    public Task<NodeReply<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>POST <paramref name="body"/> (or nothing) to <paramref name="path"/>: the reply as <typeparamref name="T"/>.</summary>
    public Task<NodeReply<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : Json(body) }, cancellationToken);

    /// <summary>PUT <paramref name="body"/> to <paramref name="path"/>: the reply as <typeparamref name="T"/>.</summary>
    public Task<NodeReply<T>> PutAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Put, path) { Content = Json(body) }, cancellationToken);

    /// <summary>DELETE <paramref name="path"/>: the reply as <typeparamref name="T"/>.</summary>
    public Task<NodeReply<T>> DeleteAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    /// <summary>POST <paramref name="text"/> as <c>text/plain</c> to <paramref name="path"/>: the reply as <typeparamref name="T"/>.</summary>
    public Task<NodeReply<T>> PostTextAsync<T>(string path, string text, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(text, System.Text.Encoding.UTF8, "text/plain") },
            cancellationToken);

    /// <summary>Opens the Server-Sent Events stream at <paramref name="path"/>, resuming after <paramref name="lastEventId"/>
    /// when given; the caller reads and disposes the response. Only the wait for the headers is timed.</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw NodeProblemException.From((int)response.StatusCode,
                await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Whether the node answers at all within <paramref name="within"/> (any HTTP reply counts, even a refusal):
    /// null when it does, else why not.</summary>
    public async Task<string?> ProbeAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            using var response = await _http.GetAsync("/health/live", HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {within.TotalSeconds:0} s";
        }
    }

    /// <summary>GET <c>/health/ready</c>: whether the node is ready and, either way, its reason. A 503 is an answer
    /// here (the node is up but not ready), not a failure.</summary>
    public async Task<NodeReadinessReply> GetReadinessAsync(CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, "/health/ready"), HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable))
                throw NodeProblemException.From((int)response.StatusCode, text);
            var json = JsonDocument.Parse(text).RootElement.Clone();
            var detail = json.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
            return new NodeReadinessReply(response.IsSuccessStatusCode, detail, json);
        }
    }

    private static JsonContent Json(object body) => JsonContent.Create(body, body.GetType(), options: ApiJson.Options);

    private async Task<NodeReply<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw NodeProblemException.From((int)response.StatusCode, text);
            return new NodeReply<T>(text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new NodeUnreachableException(Address, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeUnreachableException(Address, $"no answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>The node's answer to <c>/health/ready</c>: ready or not, the reason, and the document as it came.</summary>
public sealed record NodeReadinessReply(bool IsReady, string Detail, JsonElement Json);

/// <summary>The node did not answer.</summary>
public sealed class NodeUnreachableException(NodeAddress address, string reason) : Exception(Describe(address, reason))
{
    /// <summary>What <c>orch</c> says of a node that does not answer: why, and how to start one (<c>./build.sh node</c>
    /// serves; <c>./build.sh run</c> is the demo, which exits).</summary>
    public static string Describe(NodeAddress address, string reason) =>
        $"Node {address} is not reachable ({reason}). Is it running? Start one with ./build.sh node, or name another: orch HOST:PORT COMMAND.";
}

/// <summary>The node answered with an error (a problem details document).</summary>
public sealed class NodeProblemException(int status, string title, string detail) : Exception($"{title} ({status}): {detail}")
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    internal static NodeProblemException From(int status, string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<ProblemDto>(body, ApiJson.Options);
            return new NodeProblemException(status, problem?.Title ?? "Error", problem?.Detail ?? body);
        }
        catch (JsonException)
        {
            return new NodeProblemException(status, "Error", body);
        }
    }
}
