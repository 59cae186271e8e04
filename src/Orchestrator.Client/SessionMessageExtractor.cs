using Akka.Cluster.Sharding;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Client;

/// <summary>Routes <see cref="ISessionMessage"/>s of the <c>session</c> shard region by session id. The node's region and
/// every proxy use this one, so they compute the same shard for a session (with the same number of shards).</summary>
public sealed class SessionMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    /// <inheritdoc />
    public override string? EntityId(object message) => message is ISessionMessage m ? m.SessionId : null;
}
