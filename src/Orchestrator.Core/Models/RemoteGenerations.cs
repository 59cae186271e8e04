namespace Orchestrator.Core.Models;

/// <summary>The requests a node's model router sent to other nodes and still takes to be running, by request id, so
/// that a cancel reaches the node that runs the request and, when that node leaves or becomes unreachable, each of its
/// requests is answered with a failure instead of waiting for its deadline. <typeparamref name="TCaller"/> is whoever
/// gets that answer. Not thread-safe: one actor owns it.</summary>
public sealed class RemoteGenerations<TCaller>
{
    private readonly Dictionary<string, RemoteGeneration<TCaller>> _byRequest = new(StringComparer.Ordinal);

    /// <summary>Requests taken to be running elsewhere.</summary>
    public int Count => _byRequest.Count;

    /// <summary>A request was sent to <paramref name="node"/>; a request id seen before is replaced.</summary>
    public void Started(string requestId, TCaller caller, string node, string model) =>
        _byRequest[requestId] = new RemoteGeneration<TCaller>(requestId, caller, node, model);

    /// <summary>Forgets a request (cancelled, or past its deadline) and returns it, or null when it is not known.</summary>
    public RemoteGeneration<TCaller>? End(string requestId) => _byRequest.Remove(requestId, out var g) ? g : null;

    /// <summary>Forgets and returns every request running on <paramref name="node"/>, which left or cannot be reached.</summary>
    public IReadOnlyList<RemoteGeneration<TCaller>> LostWith(string node)
    {
        var lost = _byRequest.Values.Where(g => g.Node == node).OrderBy(g => g.RequestId, StringComparer.Ordinal).ToList();
        foreach (var g in lost) _byRequest.Remove(g.RequestId);
        return lost;
    }
}

/// <summary>One request running on another node: its id, who asked, the node and the model.</summary>
public sealed record RemoteGeneration<TCaller>(string RequestId, TCaller Caller, string Node, string Model);
