using Akka.Actor;
using Orchestrator.Client.Serialization;
using Orchestrator.Core.Catalog;
using Orchestrator.Messages;

namespace Orchestrator.Engine.Serialization;

/// <summary>The node's serializer: events, snapshots and cross-node messages, named by the manifests of
/// <see cref="MessageCatalog"/> (the contracts and everything else the node stores or sends).</summary>
public sealed class OrchestratorJsonSerializer : CatalogJsonSerializer
{
    /// <summary>Created by Akka from the serializer bindings.</summary>
    public OrchestratorJsonSerializer(ExtendedActorSystem system) : this(system, MessageCatalog.Default)
    {
    }

    internal OrchestratorJsonSerializer(ExtendedActorSystem system, ManifestCatalog catalog) : base(system, catalog)
    {
    }
}
