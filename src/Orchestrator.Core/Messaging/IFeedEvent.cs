namespace Orchestrator.Core.Messaging;

/// <summary>A persisted event that the node-wide feed reads by tag. Only these events are tagged in the journal:
/// tagging costs a row per event, and per-session views read by persistence id instead.</summary>
public interface IFeedEvent : IPersistedEvent;
