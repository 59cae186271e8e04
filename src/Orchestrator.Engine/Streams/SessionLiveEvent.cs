namespace Orchestrator.Engine.Streams;

/// <summary>What the node's live feed carries: a session's persisted event (with its sequence number in the
/// session's journal) or something only published, such as <see cref="TaskTokens"/>, which is never journaled.</summary>
public sealed record SessionLiveEvent(string SessionId, long? SequenceNr, object Event);

/// <summary>Text a task's model just generated, streamed as it comes; the task's final text is in its outcome event.
/// In a council or group chat node, <see cref="Member"/> says whose request it is (the transcript key:
/// <c>round/step/member[/target]</c> or <c>turn/step/speaker</c>); null for a plain task.</summary>
public sealed record TaskTokens(string SessionId, string TaskId, int Attempt, int Index, string Text, string? Member = null);
