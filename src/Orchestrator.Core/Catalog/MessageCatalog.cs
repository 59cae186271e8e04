using Orchestrator.Core.Agents;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Management;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Messages;

namespace Orchestrator.Core.Catalog;

/// <summary>The node's registry of manifest names to types for everything that is stored or crosses nodes: the message
/// contracts (<see cref="ManifestCatalog.ContractManifests"/>) and every protocol of Core.</summary>
public static class MessageCatalog
{
    /// <summary>Every message of the product, protocol by protocol.</summary>
    public static ManifestCatalog Default { get; } = new(
        ManifestCatalog.ContractManifests,
        DiagnosticEvents.Manifests,
        ProbeCommands.Manifests,
        ManagementQueries.Manifests,
        SessionEvents.Manifests,
        SessionSnapshots.Manifests,
        SessionLiveMessages.Manifests,
        ModelMessages.Manifests,
        ModelCapacity.Manifests,
        CouncilEvents.Manifests,
        CouncilDirectoryCommands.Manifests,
        CouncilDirectoryReplies.Manifests,
        CouncilDirectoryEvents.Manifests,
        GroupChatEvents.Manifests,
        AgentCommands.Manifests,
        AgentQueries.Manifests,
        AgentReplies.Manifests,
        AgentEvents.Manifests,
        AgentSnapshots.Manifests,
        LessonCommands.Manifests,
        LessonQueries.Manifests,
        LessonReplies.Manifests,
        LessonEvents.Manifests,
        LessonSnapshots.Manifests,
        ModelQueries.Manifests);
}
