using Akka.Cluster.Sharding;
using Orchestrator.Core.Sessions;

namespace Orchestrator.Engine.Sessions;

/// <summary>Routes <see cref="ISessionMessage"/>s of the <c>session</c> shard region by session id.</summary>
public sealed class SessionMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    /// <inheritdoc />
    public override string? EntityId(object message) => message is ISessionMessage m ? m.SessionId : null;
}
