using Orchestrator.Core.Ids;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>The answer to a session message whose id no session can have, given before it is routed, so that the region
/// never creates an entity for it: a start is rejected with the id's problem, anything else is not found.</summary>
public static class SessionIdRefusal
{
    /// <summary>The refusal of <paramref name="message"/>, or null when its session id is valid.</summary>
    public static ISessionReply? Of(ISessionMessage message) =>
        SessionId.Problem(message.SessionId) is not { } problem ? null
        : message is StartSession ? new SessionRejected(message.SessionId, [problem])
        : new SessionNotFound(message.SessionId);
}
