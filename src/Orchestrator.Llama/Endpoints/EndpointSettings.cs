namespace Orchestrator.Llama.Endpoints;

/// <summary>A model served by an OpenAI-compatible endpoint elsewhere (llama.cpp's server, vLLM, Ollama, another
/// node's <c>/v1</c>): <c>orchestrator.llm.endpoints.&lt;name&gt; { url, model, api-key-env, max-concurrent,
/// queue-size }</c>. <paramref name="Name"/> is the model's name here (what roles and agents name);
/// <paramref name="RemoteModel"/> the model's name at the endpoint; the key is read from the environment variable
/// <paramref name="ApiKeyVariable"/> (none when empty), never from configuration.</summary>
public sealed record EndpointSettings(
    string Name,
    Uri Url,
    string RemoteModel,
    string ApiKeyVariable = "",
    int MaxConcurrent = 8,
    int QueueSize = 64)
{
    /// <summary>Throws when the settings cannot work.</summary>
    public EndpointSettings Validate()
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Endpoint '{Name}': url must be an absolute http or https address, not '{Url}'.");
        if (string.IsNullOrWhiteSpace(RemoteModel)) throw new ArgumentException($"Endpoint '{Name}' names no model.");
        if (MaxConcurrent is < 1 or > 1024) throw new ArgumentException($"Endpoint '{Name}': max-concurrent must be 1..1024, not {MaxConcurrent}.");
        if (QueueSize < 0) throw new ArgumentException($"Endpoint '{Name}': queue-size must not be negative.");
        return this;
    }
}
