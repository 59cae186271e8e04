using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using Orchestrator.Llama.Endpoints;

namespace Orchestrator.Node.Models;

/// <summary>The clients of the node's endpoint models: OpenAI's own .NET client (through Microsoft.Extensions.AI.OpenAI)
/// for any OpenAI-compatible server, its key read from the environment variable the settings name when the client is
/// made, at the node's start, and kept only in the client (never in settings, logs or <c>config show</c>).</summary>
public static class EndpointClients
{
    /// <summary>How long one call may take before the client gives up (the request's own deadline is usually shorter).</summary>
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A chat client of <paramref name="endpoint"/>'s model at its address.</summary>
    public static IChatClient OpenAiCompatible(EndpointSettings endpoint)
    {
        var key = endpoint.ApiKeyVariable.Length > 0 ? Environment.GetEnvironmentVariable(endpoint.ApiKeyVariable) : null;
        // OpenAI's client needs a key; a server without one ignores the header.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(key) ? "none" : key);
        return new OpenAI.Chat.ChatClient(endpoint.RemoteModel, credential,
            new OpenAIClientOptions
            {
                Endpoint = endpoint.Url,
                NetworkTimeout = NetworkTimeout,
                // The engine retries a failed attempt as the task's template says; the client retrying beneath it
                // would multiply the attempts and hide the failure's reason.
                RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            }).AsIChatClient();
    }
}
