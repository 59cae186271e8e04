using Microsoft.Extensions.AI;

namespace Orchestrator.Llama.Endpoints;

/// <summary>A model a <see cref="Pool.ModelManager"/> serves through an endpoint: its settings and the client that
/// calls it (made by the node, which holds the key).</summary>
public sealed record ServedEndpoint(EndpointSettings Settings, IChatClient Client);
