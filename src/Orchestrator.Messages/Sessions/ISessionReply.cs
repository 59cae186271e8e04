namespace Orchestrator.Messages.Sessions;

/// <summary>A session's answer to a command or query, naming the session it is about. Unlike
/// <see cref="ISessionMessage"/> it is not routed: sent to the shard region by mistake, it is dropped, not delivered
/// to a session as a command.</summary>
public interface ISessionReply : IClusterMessage
{
    /// <summary>The session the reply is about.</summary>
    string SessionId { get; }
}
