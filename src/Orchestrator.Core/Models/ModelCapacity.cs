using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Models;

/// <summary>What each node shares about its models so that others can route to it without asking per request: every
/// few seconds a node publishes its <see cref="NodeModelLoad"/> on the cluster's distributed pub-sub topic
/// <see cref="Topic"/>.</summary>
public static class ModelCapacity
{
    /// <summary>The pub-sub topic of every node's model load.</summary>
    public const string Topic = "model-capacity";

    /// <summary>One model's load on one node: whether its pool runs, its sequences, how many generate now and how many
    /// requests wait for one.</summary>
    public sealed record ModelLoad(string Model, bool Running, int Sequences, int ActiveSequences, int QueueLength) : IClusterMessage
    {
        /// <summary>Sequences left after those generating and the requests queued for one (negative: a queue).</summary>
        public int Free => Sequences - ActiveSequences - QueueLength;
    }

    /// <summary>The load of every model <paramref name="Node"/> (its cluster address) serves.</summary>
    public sealed record NodeModelLoad(string Node, IReadOnlyList<ModelLoad> Models) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("model-load.v1", typeof(ModelLoad)),
        new("node-model-load.v1", typeof(NodeModelLoad)),
    ];
}
