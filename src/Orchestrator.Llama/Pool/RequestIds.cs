namespace Orchestrator.Llama.Pool;

/// <summary>The one rule every model actor holds a request's id to: given, and not already in flight there (replies are
/// matched to requesters by it).</summary>
internal static class RequestIds
{
    /// <summary>Why a request with <paramref name="id"/> is refused, or null when it may run; <paramref name="inFlight"/>
    /// says whether the actor already runs a request of that id.</summary>
    public static string? Refusal(string? id, bool inFlight) =>
        string.IsNullOrEmpty(id) ? "the request id is empty."
        : inFlight ? $"request id '{id}' is already in flight."
        : null;
}
