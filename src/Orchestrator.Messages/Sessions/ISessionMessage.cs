namespace Orchestrator.Messages.Sessions;

/// <summary>A message for one session, routed by the <c>session</c> shard region on <see cref="SessionId"/>.</summary>
public interface ISessionMessage : IClusterMessage
{
    /// <summary>The session the message is for; the entity id in the shard region.</summary>
    string SessionId { get; }
}
