using Akka.Actor;
using Orchestrator.Messages;

namespace Orchestrator.Client.Serialization;

/// <summary>The serializer of an outside application: the message contracts only (<see cref="ManifestCatalog.Contracts"/>),
/// in the same JSON and under the same id and manifests as the node's. Bound by <see cref="OrchestratorClientConfig"/>.</summary>
public sealed class ContractJsonSerializer(ExtendedActorSystem system) : CatalogJsonSerializer(system, ManifestCatalog.Contracts);
