namespace Orchestrator.Engine.Streams;

/// <summary>What the node's live feed carries: a session's persisted event (with its sequence number in the
/// session's journal) or something only published, such as <see cref="Core.Sessions.SessionLiveMessages.TaskTokens"/>,
/// which is never journaled.</summary>
public sealed record SessionLiveEvent(string SessionId, long? SequenceNr, object Event);
