using Akka.Actor;
using Orchestrator.Core.Decisions;

namespace Orchestrator.Engine.Decisions;

/// <summary>What a session and its node's <see cref="DecisionEngine"/> tell each other. Node-local: a session always
/// talks to the engine of the node it runs on.</summary>
public static class DispatchMessages
{
    /// <summary>How often a session, or a council or chat attempt, asks again for what it still wants while it waits:
    /// the engine keeps one request per asker (a repeat changes nothing), so a request or an answer lost with a
    /// restarted engine costs at most this long.</summary>
    public static readonly TimeSpan AskAgainEvery = TimeSpan.FromSeconds(5);

    /// <summary>What a session would dispatch now (its candidates replace what it asked for before; empty: nothing).
    /// Answered with <see cref="DispatchAnswered"/> at once, and again whenever a slot is granted to it later.</summary>
    public sealed record RequestDispatch(string SessionId, IReadOnlyList<DispatchCandidate> Candidates) : INoSerializationVerificationNeeded;

    /// <summary>What a council or group chat attempt (<paramref name="HolderId"/>: its attempt id) would run now for its
    /// members that name only a role, one candidate per request (its key as the task id); replaces what it asked before.
    /// Answered like <see cref="RequestDispatch"/>: each grant names the agent by the same rule as a session's task and
    /// takes no node slot (the attempt's own task holds one). Given back one by one with <see cref="ReleaseDispatch"/>,
    /// all at once when the attempt stops (the engine watches it).</summary>
    public sealed record RequestMemberDispatch(string HolderId, IReadOnlyList<DispatchCandidate> Candidates) : INoSerializationVerificationNeeded;

    /// <summary>Gives back the slot of one attempt (or of one member's request, the attempt id as session and the request's
    /// key as task): its outcome arrived, or the grant was not used.</summary>
    public sealed record ReleaseDispatch(string SessionId, string TaskId, int Attempt) : INoSerializationVerificationNeeded;

    /// <summary>A session that may carry passed the slot of an attempt that ended (<paramref name="FromTaskId"/>,
    /// <paramref name="FromAttempt"/>) to <paramref name="To"/>, its next task of the same role, which it dispatches now
    /// without waiting (<see cref="DispatchBoard.Carry"/>). Answered only when it may carry no more.</summary>
    public sealed record CarryDispatch(string SessionId, string FromTaskId, int FromAttempt, DispatchGrant To) : INoSerializationVerificationNeeded;

    /// <summary>The engine's decisions for a session: grants, refusals and holds.</summary>
    public sealed record DispatchAnswered(DispatchAnswer Answer) : INoSerializationVerificationNeeded;

    /// <summary>Asks for <see cref="DispatchStatus"/>.</summary>
    public sealed record GetDispatchStatus : INoSerializationVerificationNeeded
    {
        /// <summary>The one instance.</summary>
        public static GetDispatchStatus Instance { get; } = new();
    }

    /// <summary>The node's slots, how many are granted, how many sessions wait, tasks in flight per agent and per model,
    /// whether the registry's copy has arrived, the models taken to be down, and how many agents the copy holds.</summary>
    public sealed record DispatchStatus(
        int Capacity, int Granted, int WaitingSessions, IReadOnlyDictionary<string, int> ByAgent,
        IReadOnlyDictionary<string, int> ByModel, bool RegistryKnown, IReadOnlyList<string> ModelsDown, int KnownAgents)
        : INoSerializationVerificationNeeded;
}
